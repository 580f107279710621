/**
 * `npm run cluster`: the multi-replica topology on one machine, to try it by hand.
 * Redis (the one at REDIS_URL, default 127.0.0.1:6379, or a private `redis-server` started here
 * when none answers), two gateways on ports 4001 and 4002 that only enqueue (`OCR_QUEUE=redis`,
 * `LOCAL_OCR_WORKERS=0`), and one `ktp-gateway worker`. Ctrl-C stops everything it started.
 *
 * Set KTP_PROVIDER=ekycpro (with EKYCPRO_URL and EKYCPRO_API_KEY) to put the paid API behind the
 * two gateways instead; the worker then has nothing to do, but the cache and leases are shared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { removeKeys } from './redis-keys.ts';
import { answerHelp } from './usage.ts';

answerHelp(`Usage: npm run cluster

The multi-replica topology on one machine, to try by hand: Redis (REDIS_URL, or a private
redis-server when none answers), two gateways on ports 4001 and 4002 that only enqueue, and one
ktp-gateway worker. Ctrl-C stops everything it started and removes the run's Redis keys.

Environment:
  REDIS_URL              the Redis (default redis://127.0.0.1:6379)
  REDIS_PREFIX           key prefix (default ktp-demo:<random>, removed at the end; a prefix you
                         set is yours and is kept)
  CACHE_ENCRYPTION_KEY   the cache key (default: a fresh one for this run)
  LOCAL_OCR_WORKERS      the worker's OCR threads (default 1)
  KTP_PROVIDER=ekycpro   with EKYCPRO_URL and EKYCPRO_API_KEY: the paid API behind the gateways`);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const children: { name: string; child: ChildProcess }[] = [];

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function start(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      for (const line of parts) console.log(`[${name}] ${line}`);
    });
  }
  child.once('exit', (code, signal) => console.log(`[${name}] exited (${signal ?? code})`));
  children.push({ name, child });
  return child;
}

if (!(await redisAnswers(REDIS_URL))) {
  const { port, hostname } = new URL(REDIS_URL);
  console.log(`[cluster] no Redis at ${REDIS_URL}: starting redis-server (in memory only)`);
  start('redis', 'redis-server', ['--port', port || '6379', '--bind', hostname || '127.0.0.1', '--save', '', '--appendonly', 'no']);
  for (let i = 0; !(await redisAnswers(REDIS_URL)); i++) {
    if (i > 50) throw new Error('redis-server did not start; install it (apt-get install redis-server) or set REDIS_URL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const key = process.env.CACHE_ENCRYPTION_KEY ?? randomBytes(32).toString('hex');
if (!process.env.CACHE_ENCRYPTION_KEY) console.log('[cluster] CACHE_ENCRYPTION_KEY not set: using a fresh key for this run (what is cached is unreadable after it)');
// A prefix of the run's own unless one is given: two runs on one Redis do not meet, and what a run
// cached (under a key that dies with it) is removed when it stops.
const ownPrefix = process.env.REDIS_PREFIX === undefined ? `ktp-demo:${randomBytes(4).toString('hex')}` : undefined;
const shared = { REDIS_URL, REDIS_PREFIX: process.env.REDIS_PREFIX ?? ownPrefix!, CACHE_ENCRYPTION_KEY: key };
console.log(`[cluster] Redis keys under ${shared.REDIS_PREFIX}${ownPrefix ? ' (removed when it stops)' : ''}`);
start('worker', process.execPath, ['bin/ktp-gateway.js', 'worker'], { ...shared, LOCAL_OCR_WORKERS: process.env.LOCAL_OCR_WORKERS ?? '1' });
for (const [index, port] of ['4001', '4002'].entries()) {
  start(`gateway-${index + 1}`, process.execPath, ['--import', 'tsx', 'src/server.ts'], { ...shared, PORT: port, OCR_QUEUE: 'redis', LOCAL_OCR_WORKERS: '0' });
}
console.log('[cluster] gateways on http://localhost:4001/graphql and http://localhost:4002/graphql; GET /readyz on each counts the live workers. Ctrl-C stops everything.');

let stopping = false;
const stopAll = async () => {
  if (stopping) return;
  stopping = true;
  // Gateways and worker first (they finish what is in flight), Redis last.
  const ordered = [...children].sort((a, b) => Number(a.name === 'redis') - Number(b.name === 'redis'));
  for (const { name, child } of ordered) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    // Before Redis goes: the keys are removed from the Redis that holds them.
    if (name === 'redis' && ownPrefix) console.log(`[cluster] removed ${await removeKeys(REDIS_URL, ownPrefix)} Redis keys`);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  if (ownPrefix && !children.some(({ name }) => name === 'redis')) console.log(`[cluster] removed ${await removeKeys(REDIS_URL, ownPrefix)} Redis keys`);
  process.exit(0);
};
process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());
