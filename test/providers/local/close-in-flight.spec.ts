/**
 * Job timeouts and close() with the real engine, in a child process (warm-and-close.ts), because
 * the failure guarded against kills the process. Its own file, apart from provider.spec.ts: the
 * child loads the engine twice and runs no faster beside that suite's reads, so the two run in
 * parallel files rather than one after the other.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('timeouts and close() with the real engine', () => {
  it('survive a job in flight: the process exits on its own, having answered everything', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = fileURLToPath(new URL('./warm-and-close.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', tsx, script], { timeout: 110_000, encoding: 'utf8' });
    expect(child.error).toBeUndefined();
    expect(child.stdout.trim()).toBe('warm timeout answered closed');
    expect(child.status).toBe(0);
    // Two engines load and read in that child: on a busy 2-core machine that alone can take most of a minute.
  }, 120_000);
});
