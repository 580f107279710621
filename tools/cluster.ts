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
const shared = { REDIS_URL, REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'ktp-demo', CACHE_ENCRYPTION_KEY: key };
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
  for (const { child } of ordered) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  process.exit(0);
};
process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());
