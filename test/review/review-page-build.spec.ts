import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const committed = join(root, 'web/review/dist');

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Like schema.graphql: the committed build is what the gateway serves, so it must be the sources' build. */
describe('the review page build', () => {
  it('is what `npm run review:build` makes of web/review now (run it and commit web/review/dist)', () => {
    const out = mkdtempSync(join(tmpdir(), 'review-build-'));
    try {
      const built = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(root, 'web/review/vite.config.ts'), '--outDir', out, '--emptyOutDir'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(built.status, built.stderr).toBe(0);
      const fresh = filesUnder(out);
      expect(fresh.size).toBeGreaterThanOrEqual(3);
      expect(filesUnder(committed)).toEqual(fresh);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
