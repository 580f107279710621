import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';

/**
 * The production start as a user runs it: `npm start` builds dist/ (prestart) and runs
 * `node dist/server.js`, no tsx. Here against the fake paid API (it starts in a second; the
 * offline engine from dist/ is what the README's curl check and the manual check in
 * docs/dependencies.md use). dist/ is git-ignored: building it changes no tracked file.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /http:\/\/localhost:(\d+)\/graphql/;
/** Our own settings in the runner's environment must not reach the server under test. */
const GATEWAY_SETTINGS = /^(KTP_|EKYCPRO_|REST_API_KEYS|CACHE_|MAX_|REDIS_|OCR_|LOCAL_OCR_|GRAPHIQL|NODE_ENV|PORT$|HOST$|SHUTDOWN_|METRICS_PORT)/;

let fake: FakeEkycpro;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  // Once, up front: `npm start`'s prestart then finds dist/ up to date.
  const built = spawnSync(process.execPath, ['tools/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  expect(built.status, built.stderr + built.stdout).toBe(0);
}, 180_000);
/** Every process a test saw, killed at the end if a failed test left one behind. */
const seen: number[] = [];
afterAll(async () => {
  for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await fake?.close();
});

function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GATEWAY_SETTINGS.test(name)));
  return { ...inherited, KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, HOST: '127.0.0.1', ...env };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
}

function run(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: ROOT, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  child.stderr!.on('data', (data) => (output += data));
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals | null));
  return { child, output: () => output, exited };
}

/** Every live descendant of `pid`, read from /proc (Linux, as CI is). */
function descendants(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // The process ended while we read.
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push({ pid: child, command: commands.get(child) ?? '' });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

async function untilListening(started: Started): Promise<number> {
  await expect.poll(() => LISTENING.test(started.output()) || started.child.exitCode !== null, { timeout: 60_000, interval: 50 }).toBe(true);
  const match = LISTENING.exec(started.output());
  if (!match) throw new Error(`exited before listening: ${started.output()}`);
  return Number(match[1]);
}

describe('npm start (node dist/server.js)', () => {
  it('SIGTERM to the npm process stops the server: it shuts down gracefully, the port closes and no process of it is left', async () => {
    const npm = run('npm', ['start', '--silent'], { PORT: '0' });
    const port = await untilListening(npm);
    const tree = descendants(npm.child.pid!);
    seen.push(npm.child.pid!, ...tree.map(({ pid }) => pid));
    // What is checked is the server itself: a node running dist/server.js, under npm.
    expect(tree.some(({ command }) => command.includes('dist/server.js'))).toBe(true);
    expect(await refused(port)).toBe(false);

    npm.child.kill('SIGTERM');
    const ended = await npm.exited;
    // The server got the signal and shut down as it does (graceful, exit 0) ...
    expect(npm.output()).toMatch(/SIGTERM, finishing requests in flight/);
    expect(npm.output()).not.toMatch(/cut off|npm error/);
    // ... and npm, once its child exited, re-raises the signal on itself (that is npm's way).
    expect([0, 'SIGTERM']).toContain(ended);
    expect(await refused(port)).toBe(true);
    await expect.poll(() => tree.filter(({ pid }) => alive(pid)), { timeout: 10_000 }).toEqual([]);
  }, 120_000);

  it('runs without tsx: dist/ imports nothing of it and nothing of src/', () => {
    const files = spawnSync('grep', ['-rlE', "from 'tsx|tsx/esm|\\.ts'", 'dist', '--include=*.js', '--include=*.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(files.stdout.trim()).toBe('');
  });
});

describe('a port that is taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('PORT in use → one line naming the port and the setting, exit 1, no stack trace', async () => {
    const server = run(process.execPath, ['dist/server.js'], { PORT: String(port) });
    expect(await server.exited).toBe(1);
    expect(server.output()).toBe(`ktp-gateway: port ${port} is in use: set PORT\n`);
  }, 60_000);

  it('METRICS_PORT in use → the same line, naming METRICS_PORT', async () => {
    const server = run(process.execPath, ['dist/server.js'], { PORT: '0', METRICS_PORT: String(port) });
    expect(await server.exited).toBe(1);
    expect(server.output()).toBe(`ktp-gateway: port ${port} is in use: set METRICS_PORT\n`);
  }, 60_000);
});
