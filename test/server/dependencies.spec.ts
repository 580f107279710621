import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The installed tree is the one package.json and its lockfile describe, and it runs on every Node
 * that `engines` claims (docs/dependencies.md says why each override exists). npm itself judges
 * the tree (`npm ls`); the engines are read from what is installed, not from what npm printed.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; link?: boolean }>;
};

function npmLs(args: string[]): Promise<{ code: number; problems: string[] }> {
  return new Promise((resolve) => {
    // npm's own "problems" (invalid, missing, extraneous) are in the JSON whatever the exit code.
    execFile('npm', ['ls', '--all', '--json', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const tree = JSON.parse(stdout || '{}') as { problems?: string[] };
      resolve({ code: error ? Number(error.code ?? 1) : 0, problems: tree.problems ?? [] });
    });
  });
}

/** Every package installed from the lockfile, with the Node versions it declares it needs. */
function installedEngines(filter: (entry: { dev?: boolean }) => boolean): { name: string; node: string }[] {
  const found: { name: string; node: string }[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || !filter(entry)) continue;
    const file = join(ROOT, path, 'package.json');
    // Optional packages for other platforms (sharp's, rolldown's) are in the lockfile, not on disk.
    if (!existsSync(file)) continue;
    const installed = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string; engines?: { node?: string } };
    if (installed.engines?.node) found.push({ name: `${path.replace(/^.*node_modules\//, '')}@${installed.version}`, node: installed.engines.node });
  }
  return found;
}

describe('the dependency tree', () => {
  it('matches package.json: `npm ls --all` finds nothing invalid, missing or extraneous', async () => {
    const all = await npmLs([]);
    expect(all.problems).toEqual([]);
    expect(all.code).toBe(0);
  }, 60_000);

  it('the production tree alone (`npm ls --omit=dev`) is consistent too', async () => {
    const production = await npmLs(['--omit=dev']);
    expect(production.problems).toEqual([]);
    expect(production.code).toBe(0);
  }, 60_000);

  it(`every production dependency runs on every Node that package.json's engines (${manifest.engines.node}) admits`, () => {
    const production = installedEngines((entry) => !entry.dev);
    // The check has something to check: sharp, onnxruntime-node and others declare engines.
    expect(production.length).toBeGreaterThan(10);
    const narrower = production.filter(({ node }) => !semver.subset(manifest.engines.node, node, { includePrerelease: false }));
    expect(narrower).toEqual([]);
  });

  it('every installed package, dev ones included, accepts the Node running the tests (no EBADENGINE in `npm ci`)', () => {
    const all = installedEngines(() => true);
    const refused = all.filter(({ node }) => !semver.satisfies(process.version, node));
    expect(refused).toEqual([]);
  });
});

describe('the package', () => {
  it("package.json's version is the README changelog's latest entry, and the licence is the LICENSE file's", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const changelog = readme.slice(readme.indexOf('\n## Changelog'));
    const latest = /^### (\d+\.\d+\.\d+)/m.exec(changelog)?.[1];
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
    expect(latest).toBeDefined();
    expect(pkg.version).toBe(latest);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} ktp-gateway contributors\n/);
  });
});
