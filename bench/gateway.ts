/**
 * `npm run bench`: the gateway core's figures, measured in one run on this machine.
 *  1. The fast path: a cache-hit `recognizeKtp` (200 KB image, multipart) against `{ __typename }`
 *     on the same server, median and p99, and their ratio. Two servers: the default one (memory
 *     cache; goal <= 1.5x) and one with Redis and no memory level in front (`REDIS_URL`,
 *     `CACHE_MAX_BYTES=0`: every hit is a Redis round trip and a decryption; goal <= 1.7x). The
 *     floor beside them: the same 200 KB body drained without parsing by a bare Node server,
 *     against a small request to that server.
 *  2. Upstream calls for 50 concurrent + 50 sequential identical uploads (goal: exactly 1).
 *  3. Hive Gateway's overhead on the same cache hit, side by side (bench/supergraph.ts).
 * The paid API is the loopback fake of the tests, with 200 ms of recognition latency; each gateway
 * is `src/server.ts` in a child process, as users run it. Every round sends one request of each
 * kind, interleaved, so that machine noise hits them alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { contentHash } from '../src/recognition/content-hash.ts';
import { benchSupergraph } from './supergraph.ts';
import { FAKE_API_KEY, startFakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { testPngOfSize } from '../test/support/images.ts';
import { removeKeys } from '../tools/redis-keys.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench

The gateway core's figures in one run: a cache-hit recognizeKtp against { __typename } (memory
cache, and Redis with no memory level), upstream calls for identical uploads, Hive Gateway's
overhead. Against the loopback fake paid API; the Redis keys go under ktp-bench:<pid> and are
removed at the end and on Ctrl-C.

Environment:
  BENCH_ROUNDS     requests of each kind (default 1000)
  BENCH_PORT       first port of the gateways it starts (default 4399)
  BENCH_REDIS_URL  the Redis to use (default redis://127.0.0.1:6379)`);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000);
const PORT = Number(process.env.BENCH_PORT ?? 4399);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate cached } ... on OcrError { code } } }';

const fake = await startFakeEkycpro();
fake.latencyMs = 200;
const children: ChildProcess[] = [];

async function startGateway(port: number, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await once(child.stdout!, 'data');
  return `http://127.0.0.1:${port}/graphql`;
}

const memoryEndpoint = await startGateway(PORT, { SUBGRAPH_PATH: '/subgraph' });
const prefix = `ktp-bench:${process.pid}`;
// Interrupted: the gateways stop and the run's keys go, as at the end of a full run.
process.once('SIGINT', () => {
  for (const child of children) child.kill('SIGKILL');
  void removeKeys(REDIS_URL, prefix)
    .then((removed) => console.log(`bench: interrupted; removed ${removed} Redis keys under ${prefix}`))
    .finally(() => process.exit(130));
});
const redisEndpoint = await startGateway(PORT + 1, {
  REDIS_URL,
  REDIS_PREFIX: prefix,
  CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  CACHE_MAX_BYTES: '0',
});

// The floor: a bare Node server that reads the whole body and answers a few bytes, in its own process.
const drain = spawn(
  process.execPath,
  [
    '-e',
    `require('node:http').createServer((req, res) => { req.on('data', () => {}); req.on('end', () => res.end('{"ok":true}')); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(drain);
const [drainPort] = (await once(drain.stdout!, 'data')) as [Buffer];
const drainUrl = `http://127.0.0.1:${drainPort.toString().trim()}/`;

/** The multipart body, encoded once: a client's encoding cost is the client's, not the server's. */
async function multipartBody(image: Uint8Array<ArrayBuffer>): Promise<{ body: ArrayBuffer; contentType: string }> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: QUERY, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', new File([image], 'ktp.png', { type: 'image/png' }));
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: await request.arrayBuffer(), contentType: request.headers.get('content-type')! };
}

async function uploader(endpoint: string, image: Uint8Array<ArrayBuffer>): Promise<() => Promise<Response>> {
  const { body, contentType } = await multipartBody(image);
  return () => fetch(endpoint, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', 'content-type': contentType }, body });
}

const TYPENAME = JSON.stringify({ query: '{ __typename }' });
const typename = (endpoint: string) => () => fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TYPENAME });

async function timed(call: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await call();
  await response.text();
  return performance.now() - start;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(9);

// 1. The fast path.
const image = await testPngOfSize(1, 200 * 1024);
const { body: imageBody, contentType } = await multipartBody(image);
const kinds = {
  typename: typename(memoryEndpoint),
  memoryHit: await uploader(memoryEndpoint, image),
  redisTypename: typename(redisEndpoint),
  redisHit: await uploader(redisEndpoint, image),
  drainSmall: () => fetch(drainUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: TYPENAME }),
  drainUpload: () => fetch(drainUrl, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', 'content-type': contentType }, body: imageBody }),
};
for (const warm of [kinds.memoryHit, kinds.redisHit]) {
  const first = (await (await warm()).json()) as { data: { recognizeKtp: { __typename: string; cached: boolean } } };
  if (first.data.recognizeKtp.__typename !== 'KtpIdentity' || first.data.recognizeKtp.cached) throw new Error('the first upload should be a paid recognition');
}
const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, [] as number[]])) as Record<keyof typeof kinds, number[]>;
for (let i = 0; i < 50 + ROUNDS; i++) {
  if (i % Math.max(1, Math.round(ROUNDS / 10)) === 0) process.stderr.write(`bench: round ${i} of ${50 + ROUNDS}\n`);
  for (const [kind, call] of Object.entries(kinds) as [keyof typeof kinds, () => Promise<Response>][]) {
    const took = await timed(call);
    if (i >= 50) samples[kind].push(took);
  }
}
const hits = (await (await kinds.redisHit()).json()) as { data: { recognizeKtp: { cached: boolean } } };
if (!hits.data.recognizeKtp.cached) throw new Error('the Redis server should answer from the cache');
for (const list of Object.values(samples)) list.sort((a, b) => a - b);
const row = (label: string, list: number[]) => `| ${label.padEnd(40)} | ${ms(percentile(list, 50))} | ${ms(percentile(list, 99))} |`;
const ratio = (label: string, a: number[], b: number[]) =>
  `| ${label.padEnd(40)} | ${`${(percentile(a, 50) / percentile(b, 50)).toFixed(2)}x`.padStart(9)} | ${`${(percentile(a, 99) / percentile(b, 99)).toFixed(2)}x`.padStart(9)} |`;

// 2. 50 concurrent + 50 sequential identical uploads of a new image.
const fresh = await testPngOfSize(2, 200 * 1024);
const uploadFresh = await uploader(memoryEndpoint, fresh);
await Promise.all(Array.from({ length: 50 }, () => uploadFresh().then((r) => r.text())));
for (let i = 0; i < 50; i++) await (await uploadFresh()).text();
const calls = fake.callsFor(contentHash(fresh));

// 3. The same cache hit straight to /graphql and through Hive Gateway, interleaved.
const supergraph = await benchSupergraph({ origin: `http://127.0.0.1:${PORT}`, uploader: (url) => uploader(url, image), timed, rounds: ROUNDS });
for (const list of [supergraph.direct, supergraph.viaHive]) list.sort((a, b) => a - b);

console.log(`ktp-gateway benchmark (${ROUNDS} interleaved rounds, image ${image.byteLength} bytes, node ${process.version})`);
console.log('');
console.log(`| ${'request'.padEnd(40)} | ${'median'.padStart(9)} | ${'p99'.padStart(9)} |`);
console.log(`|${'-'.repeat(42)}|${'-'.repeat(11)}|${'-'.repeat(11)}|`);
console.log(row('{ __typename }', samples.typename));
console.log(row('recognizeKtp, memory cache hit (200 KB)', samples.memoryHit));
console.log(ratio('memory hit / { __typename } (goal 1.5x)', samples.memoryHit, samples.typename));
console.log(row('{ __typename }, Redis server', samples.redisTypename));
console.log(row('recognizeKtp, Redis hit, no memory level', samples.redisHit));
console.log(ratio('Redis hit / { __typename } (goal 1.7x)', samples.redisHit, samples.redisTypename));
console.log(row('bare server: small body drained', samples.drainSmall));
console.log(row('bare server: the upload drained', samples.drainUpload));
console.log(ratio('floor: upload / small body, unparsed', samples.drainUpload, samples.drainSmall));
console.log('');
console.log(`upstream calls for 50 concurrent + 50 sequential identical uploads: ${calls}`);
console.log('');
console.log('Hive Gateway in front (its own process), the same cache hit, interleaved:');
console.log('');
console.log(`| ${'recognizeKtp, cache hit (200 KB)'.padEnd(40)} | ${'median'.padStart(9)} | ${'p99'.padStart(9)} |`);
console.log(`|${'-'.repeat(42)}|${'-'.repeat(11)}|${'-'.repeat(11)}|`);
console.log(row('straight to ktp-gateway /graphql', supergraph.direct));
console.log(row('through Hive Gateway', supergraph.viaHive));
console.log(ratio('through Hive Gateway / straight', supergraph.viaHive, supergraph.direct));

for (const child of children) child.kill('SIGTERM');
await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
await fake.close();
// What the Redis server kept is the bench's own; it expires with its TTL, but need not wait for it.
console.log(`bench: removed ${await removeKeys(REDIS_URL, prefix)} Redis keys under ${prefix}`);
