import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisOptions } from '../../src/recognition/redis-link.ts';

/**
 * Real Redis for the tests: the machine's own (127.0.0.1:6379, or `REDIS_TEST_URL`) with a unique
 * key prefix per run, and private `redis-server` processes for the tests that stop and restart it.
 *
 * Without Redis the Redis suites are skipped with one loud line; under `CI=true` they fail instead,
 * because CI runs on a machine that has Redis and a silent skip there would hide every failure.
 */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

async function probe(): Promise<string | null> {
  if (!existsSync(REDIS_SERVER) && spawnSync('redis-server', ['--version']).status !== 0) return `no redis-server binary (${REDIS_SERVER})`;
  const client = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch {
    return `no Redis answering at ${REDIS_TEST_URL}`;
  } finally {
    client.disconnect();
  }
}

const missing = await probe();
if (missing !== null) {
  if (process.env.CI === 'true') throw new Error(`Redis suites cannot run: ${missing}. CI must have Redis (see the README).`);
  console.warn(
    `\n!!! SKIPPING the Redis suites: ${missing}. Install Redis (apt-get install redis-server) and run it on 127.0.0.1:6379, or set REDIS_TEST_URL, to run them.\n`,
  );
}

/** `describe`, skipped (loudly, above) where there is no Redis; failing under CI. */
export const describeRedis = (name: string, body: () => void, options: { timeout?: number } = {}) => describe.skipIf(missing !== null)(name, options, body);

/** A prefix no other test run uses; `cleanup` removes every key under it. */
export function uniquePrefix(label: string): string {
  return `ktp-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A second, plain client that reads what is really stored, as an attacker with a dump would. */
export function rawClient(url = REDIS_TEST_URL): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  return client;
}

export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

export async function cleanup(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const client = rawClient(url);
  try {
    const keys = await keysUnder(client, prefix);
    if (keys.length > 0) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A private redis-server on a free port, for tests that take Redis away and bring it back. */
export interface OwnRedis {
  url: string;
  port: number;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== null;
    },
    async start() {
      if (child) return;
      const started = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
        stdio: 'ignore',
      });
      child = started;
      // Ready when it answers a PING.
      const client = new Redis(own.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => {});
      for (let attempt = 0; ; attempt++) {
        try {
          await client.connect();
          await client.ping();
          break;
        } catch {
          if (attempt > 100 || started.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      client.disconnect();
    },
    async stop() {
      const running = child;
      if (!running) return;
      child = null;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
  await own.start();
  return own;
}

/** Resolves once `link.up` is `up` (polls: the link reports transitions, not its first state). */
export async function waitForLink(link: { readonly up: boolean }, up = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (link.up !== up) {
    if (Date.now() > deadline) throw new Error(`the Redis link did not become ${up ? 'up' : 'down'} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `count` connections to the test Redis, configured as the gateway's link configures its own (no
 * offline queue, bounded commands), as separate replicas would hold them; opened before the
 * file's tests, closed after them along with every key under `prefix`.
 */
export function replicaConnections(count: number, prefix: string): Redis[] {
  const clients: Redis[] = [];
  beforeAll(async () => {
    clients.push(...Array.from({ length: count }, () => new Redis(REDIS_TEST_URL, redisOptions())));
    await Promise.all(clients.map((client) => once(client, 'ready')));
  });
  afterAll(async () => {
    clients.forEach((client) => client.disconnect());
    await cleanup(prefix);
  });
  return clients;
}
