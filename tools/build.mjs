#!/usr/bin/env node
// `npm run build` (and `prestart`): src/ → dist/ with tsc, then the one file tsc cannot write.
// Plain JavaScript on purpose: it runs where only production dependencies may be installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = new URL('../dist/', import.meta.url);
const HELP = `Usage: npm run build [-- --force | --help]

Compiles src/ to dist/ (tsconfig.build.json) so that \`npm start\` runs \`node dist/server.js\`
without tsx. Where TypeScript is not installed (npm ci --omit=dev) an existing dist/ is kept:
build before pruning the devDependencies. Nothing is compiled when no source, tsconfig or the
lockfile changed since the last build (--force compiles anyway).
`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(HELP);
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(new URL('server.js', DIST))) {
    console.warn('build: typescript is not installed (production install): using the dist/ built before');
    process.exit(0);
  }
  console.error('build: typescript is not installed and there is no dist/: run `npm ci && npm run build` before `npm prune --omit=dev`');
  process.exit(1);
}

// `npm start` builds first; with nothing changed since the last build that is a glance at mtimes,
// not tsc's seconds. Anything newer than the stamp (a source, a tsconfig, the lockfile) rebuilds.
const STAMP = new URL('.build-stamp', DIST);
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'tools/build.mjs'].map((name) => join(ROOT, name));
if (!process.argv.includes('--force') && existsSync(STAMP) && Math.max(...inputs.map(newest)) < statSync(STAMP).mtimeMs) {
  console.log('build: dist/ is up to date');
  process.exit(0);
}

// A clean output: a source deleted since the last build must not live on in dist/.
rmSync(DIST, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// The OCR threads start from providers/local/worker-entry.mjs, which loads worker.ts through
// tsx because Node 20 applies no loader to a worker's entry file. Compiled, the entry is plain:
// the same file name (the pool asks for it by that name), importing the compiled worker.
const entry = new URL('providers/local/worker-entry.mjs', DIST);
mkdirSync(new URL('.', entry), { recursive: true });
writeFileSync(entry, "// Written by tools/build.mjs: the compiled OCR worker thread's entry (the source one loads worker.ts through tsx).\nimport './worker.js';\n");
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
console.log('build: dist/ is ready');
