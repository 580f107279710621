/**
 * `npm run bench:cluster`: many gateways, one memory. Every process is started the way users start
 * it (`src/server.ts`, `bin/ktp-gateway.js worker`), against the machine's Redis
 * (`BENCH_REDIS_URL`, default 127.0.0.1:6379) under a key prefix of its own, removed at the end.
 *
 *  A. Paid API (the loopback fake, 200 ms per call) behind 2 gateways and 1 Redis:
 *     50 concurrent identical uploads split across both; the same image after both restart;
 *     200 distinct images; p50/p99 of a shared-cache (Redis) hit next to a memory hit.
 *  B. Offline engine as a fleet (`OCR_QUEUE=redis`, gateways with `LOCAL_OCR_WORKERS=0`):
 *     distinct synthetic cards at concurrency 8 split across 2 gateways, with 1 worker process and
 *     then 2; every answer must be an identity or a "busy" to retry, and each card read once.
 *  C. The same with one of 2 workers SIGKILLed mid-run: every request must be answered.
 *
 * Options: --cards N (default 40), --skip-paid, --skip-fleet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { QueueEvents } from 'bullmq';
import { contentHash } from '../src/recognition/content-hash.ts';
import { bullPrefix, OCR_QUEUE_NAME } from '../src/providers/local/queue-protocol.ts';
import { generateCard } from '../tools/synthetic-ktp/index.ts';
import { FAKE_API_KEY, startFakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { testPngOfSize } from '../test/support/images.ts';
import { removeKeys } from '../tools/redis-keys.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench:cluster -- [--cards N] [--skip-paid] [--skip-fleet]

Replicas and the OCR worker fleet on this machine: paid-once across 2 gateways and 1 Redis, and
the engine fleet's throughput. The Redis keys go under ktp-bench-cluster:<pid> and are removed at
the end and on Ctrl-C.

Options:
  --cards N       distinct cards for the fleet part (default 40)
  --skip-paid     skip part A (paid API behind 2 gateways)
  --skip-fleet    skip part B (the OCR worker fleet)
Environment:
  BENCH_REDIS_URL  the Redis to use (default redis://127.0.0.1:6379)
  BENCH_PORT       first port of the gateways it starts (default 4500)`);

const { values: args } = parseArgs({
  options: { cards: { type: 'string', default: '40' }, 'skip-paid': { type: 'boolean' }, 'skip-fleet': { type: 'boolean' } },
});
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = randomBytes(32).toString('hex');
const RUN = `ktp-bench-cluster:${process.pid}`;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 4500);
const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik cached } ... on OcrError { code message retryable } } }';
const children = new Set<ChildProcess>();

type Answer = { __typename: 'KtpIdentity'; nik: string; cached: boolean } | { __typename: 'OcrError'; code: string; message: string; retryable: boolean };

function startProcess(args: string[], env: Record<string, string>, readyLine: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, REDIS_URL, CACHE_ENCRYPTION_KEY: KEY, NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (readyLine.test(seen)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${seen}`)));
  });
}

const startGateway = (port: number, env: Record<string, string>) =>
  startProcess(['--import', 'tsx', 'src/server.ts'], { PORT: String(port), HOST: '127.0.0.1', ...env }, /GraphQL on/);
const startWorker = (prefix: string, env: Record<string, string> = {}) =>
  startProcess(['bin/ktp-gateway.js', 'worker'], { REDIS_PREFIX: prefix, LOCAL_OCR_WORKERS: '1', ...env }, /reading queue/);

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

async function upload(port: number, bytes: Uint8Array<ArrayBuffer>): Promise<Answer> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: QUERY, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', new File([bytes], 'ktp.png', { type: 'image/png' }));
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' }, body: form });
  const json = (await response.json()) as { data?: { recognizeKtp: Answer }; errors?: unknown };
  if (!json.data) throw new Error(`not an answer: ${JSON.stringify(json.errors)}`);
  return json.data.recognizeKtp;
}

async function waitReady(port: number, check: (body: Record<string, any>) => boolean = () => true): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (response?.ok && check((await response.json()) as Record<string, any>)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gateway on ${port} never became ready`);
}

async function pool<T>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await run(items[index]!, index);
      }
    }),
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const report = (line = '') => console.log(line);

async function paidPart(): Promise<void> {
  const fake = await startFakeEkycpro();
  fake.latencyMs = 200;
  const prefix = `${RUN}:paid`;
  const env = { KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, REDIS_PREFIX: prefix };
  const ports = [BASE_PORT, BASE_PORT + 1];
  let gateways = await Promise.all(ports.map((port) => startGateway(port, env)));
  await Promise.all(ports.map((port) => waitReady(port, (body) => body.redis?.sharing === true)));

  const image = await testPngOfSize(7001, 200 * 1024);
  const hash = contentHash(image);
  const first = await Promise.all(Array.from({ length: 50 }, (_, i) => upload(ports[i % 2]!, image)));
  const concurrentCalls = fake.callsFor(hash);
  const allIdentities = first.every((a) => a.__typename === 'KtpIdentity');

  await Promise.all(gateways.map((gateway) => stop(gateway)));
  gateways = await Promise.all(ports.map((port) => startGateway(port, env)));
  await Promise.all(ports.map((port) => waitReady(port, (body) => body.redis?.sharing === true)));
  const again = await Promise.all(ports.map((port) => upload(port, image)));
  const afterRestartCalls = fake.callsFor(hash) - concurrentCalls;

  const distinct = await Promise.all(Array.from({ length: 200 }, (_, i) => testPngOfSize(7100 + i, 20 * 1024)));
  const before = fake.calls.length;
  await pool(distinct, 20, async (bytes, i) => void (await upload(ports[i % 2]!, bytes)));
  const distinctCalls = fake.calls.length - before;

  // Shared-cache hits: a third gateway with no memory level, so every hit is a Redis round trip.
  const sharedPort = BASE_PORT + 2;
  const shared = await startGateway(sharedPort, { ...env, CACHE_MAX_BYTES: '0' });
  await waitReady(sharedPort, (body) => body.redis?.sharing === true);
  const memoryTimes: number[] = [];
  const sharedTimes: number[] = [];
  for (let i = 0; i < 330; i++) {
    for (const [port, times] of [
      [ports[0]!, memoryTimes],
      [sharedPort, sharedTimes],
    ] as const) {
      const start = performance.now();
      const answer = await upload(port, image);
      if (i >= 30) times.push(performance.now() - start);
      if (answer.__typename !== 'KtpIdentity' || !answer.cached) throw new Error('expected a cache hit');
    }
  }

  report('## A. Paid API behind 2 gateways and 1 Redis (fake upstream, 200 ms per call)');
  report();
  report('| scenario | paid calls | goal |');
  report('|---|---|---|');
  report(`| 50 concurrent identical uploads, split across both gateways | ${concurrentCalls}${allIdentities ? '' : ' (not all identities!)'} | 1 |`);
  report(`| the same image again after both gateways restarted | ${afterRestartCalls} (${again.filter((a) => a.__typename === 'KtpIdentity' && a.cached).length}/2 cached) | 0 |`);
  report(`| 200 distinct images, concurrency 20, split across both | ${distinctCalls} | 200 |`);
  report();
  report('| cache hit, 200 KB upload, 300 each, interleaved | p50 | p99 |');
  report('|---|---|---|');
  report(`| memory hit (first level) | ${percentile(memoryTimes, 50).toFixed(2)} ms | ${percentile(memoryTimes, 99).toFixed(2)} ms |`);
  report(`| shared-cache hit (Redis, no memory level) | ${percentile(sharedTimes, 50).toFixed(2)} ms | ${percentile(sharedTimes, 99).toFixed(2)} ms |`);
  report();

  await Promise.all([...gateways, shared].map((gateway) => stop(gateway)));
  await fake.close();
}

interface FleetRun {
  cards: number;
  identities: number;
  wrongNik: number;
  busyRetries: number;
  otherRetries: number;
  failures: string[];
  seconds: number;
  reads: Map<string, number>;
  killed: boolean;
}

async function fleetRun(label: string, workerCount: number, cards: { bytes: Uint8Array<ArrayBuffer>; nik: string }[], options: { kill?: boolean } = {}): Promise<FleetRun> {
  const prefix = `${RUN}:fleet:${label}`;
  const env = { KTP_PROVIDER: 'local', OCR_QUEUE: 'redis', LOCAL_OCR_WORKERS: '0', REDIS_PREFIX: prefix, OCR_QUEUE_LOCK_MS: '5000' };
  const ports = [BASE_PORT + 10, BASE_PORT + 11];
  const gateways = await Promise.all(ports.map((port) => startGateway(port, env)));
  const workers = await Promise.all(Array.from({ length: workerCount }, () => startWorker(prefix, { OCR_QUEUE_LOCK_MS: '5000' })));
  await Promise.all(ports.map((port) => waitReady(port, (body) => body.ocrQueue?.workersAlive === workerCount)));

  // Who reads what: every time a worker takes a job, BullMQ says so on the queue's event stream.
  const reads = new Map<string, number>();
  const events = new QueueEvents(OCR_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: bullPrefix(prefix) });
  await events.waitUntilReady();
  events.on('active', ({ jobId }) => reads.set(jobId, (reads.get(jobId) ?? 0) + 1));

  const run: FleetRun = { cards: cards.length, identities: 0, wrongNik: 0, busyRetries: 0, otherRetries: 0, failures: [], seconds: 0, reads, killed: false };
  let answered = 0;
  const start = performance.now();
  await pool(cards, 8, async (card, i) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const answer = await upload(ports[i % 2]!, card.bytes);
      if (answer.__typename === 'KtpIdentity') {
        run.identities++;
        if (answer.nik !== card.nik) run.wrongNik++;
        break;
      }
      if (!answer.retryable) {
        run.failures.push(`${answer.code}: ${answer.message}`);
        break;
      }
      if (answer.message.includes('busy')) run.busyRetries++;
      else run.otherRetries++;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    answered++;
    if (options.kill && !run.killed && answered >= 4) {
      run.killed = true;
      await stop(workers[0]!, 'SIGKILL');
    }
  });
  run.seconds = (performance.now() - start) / 1000;
  await events.close();
  await Promise.all([...gateways, ...workers].map((child) => stop(child)));
  return run;
}

async function fleetPart(count: number): Promise<void> {
  const cards = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const card = generateCard(50_000 + i);
      return { bytes: new Uint8Array((await card.render('photo')).bytes), nik: card.truth.id };
    }),
  );
  const one = await fleetRun('one', 1, cards);
  const two = await fleetRun('two', 2, cards);
  const killed = await fleetRun('kill', 2, cards, { kill: true });
  const describe = (name: string, run: FleetRun) => {
    const readCounts = [...run.reads.values()];
    const readTwice = readCounts.filter((n) => n > 1).length;
    return `| ${name} | ${run.identities}/${run.cards} (${run.wrongNik} NIK wrong) | ${run.busyRetries} | ${run.otherRetries} | ${run.failures.length} | ${run.reads.size} cards, ${readTwice} read twice | ${run.seconds.toFixed(1)} s | ${(run.cards / run.seconds).toFixed(2)} cards/s |`;
  };
  report(`## B/C. Offline engine as a fleet: 2 gateways (LOCAL_OCR_WORKERS=0), ${count} distinct synthetic photo cards, concurrency 8`);
  report();
  report('| workers | identities | busy retries | other retryable answers | other answers | reads (BullMQ "active" per job) | wall time | throughput |');
  report('|---|---|---|---|---|---|---|---|');
  report(describe('1 worker process', one));
  report(describe('2 worker processes', two));
  report(describe('2, one SIGKILLed after 4 answers', killed));
  report();
  report(`throughput, 2 workers against 1 (same run): ${(one.seconds / two.seconds).toFixed(2)}x`);
  report(`every request answered with an identity after the SIGKILL: ${killed.identities === killed.cards ? 'yes' : 'NO'} (its stalled job went back to the queue and was read again by the other worker: ${[...killed.reads.values()].some((n) => n > 1) ? 'yes' : 'no job was in hand'})`);
}

const cleanup = async () => {
  for (const child of children) child.kill('SIGKILL');
  console.log(`bench:cluster: removed ${await removeKeys(REDIS_URL, RUN)} Redis keys under ${RUN}`);
};

// Interrupted: stop every process this run started and remove its keys.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130));
  });
}

try {
  console.log(`ktp-gateway cluster benchmark (node ${process.version}, Redis ${REDIS_URL})\n`);
  if (!args['skip-paid']) await paidPart();
  if (!args['skip-fleet']) await fleetPart(Number(args.cards));
} finally {
  await cleanup();
}
