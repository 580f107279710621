/**
 * "Held out means held out", mechanically: the accuracy benchmark refuses to print misses (tuning
 * information) for any range it declares held out. It refuses before loading a model.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const bench = fileURLToPath(new URL('../../bench/accuracy.ts', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', tsx, bench, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('bench:accuracy --misses', () => {
  it.each([
    [['--family', 'scan', '--seed', '1', '--count', '1']],
    [['--family', 'scan', '--seed', '7000', '--count', '1']],
    [['--family', 'phone', '--seed', '495', '--count', '10']],
    [['--family', 'hardphoto', '--seed', '1099', '--count', '1']],
  ])('refuses a held-out range: %j', (args) => {
    const child = run(...args, '--misses', '--no-raw');
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('--misses refused');
    expect(child.stdout).toBe('');
  });
});
