/**
 * `npm run bench`: the gateway core's figures, measured in one run on this machine.
 *  1. Latency of a cache-hit `recognizeKtp` (200 KB image, multipart) against `{ __typename }` on
 *     the same server, median and p99, and their ratio (goal: median ratio <= 2).
 *  2. Upstream calls for 50 concurrent + 50 sequential identical uploads (goal: exactly 1).
 *  3. Hive Gateway's overhead on the same cache hit, side by side (bench/supergraph.ts).
 * The paid API is the loopback fake of the tests, with 200 ms of recognition latency; the gateway
 * is `src/server.ts` in a child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { contentHash } from '../src/recognition/content-hash.ts';
import { FAKE_API_KEY, startFakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { testPngOfSize } from '../test/support/images.ts';
import { benchSupergraph } from './supergraph.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000);
const PORT = Number(process.env.BENCH_PORT ?? 4399);
const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate cached } ... on OcrError { code } } }';

// The gateway runs as users run it, `npm start` in its own process, so the client's work here
// (building requests, reading answers) is not counted against the server.
const fake = await startFakeEkycpro();
fake.latencyMs = 200;
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, NODE_ENV: 'production', SUBGRAPH_PATH: '/subgraph' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await once(server.stdout!, 'data');
const endpoint = `http://127.0.0.1:${PORT}/graphql`;

/** The multipart body, encoded once: a client's encoding cost is the client's, not the server's. */
async function multipartBody(image: Uint8Array<ArrayBuffer>): Promise<{ body: ArrayBuffer; contentType: string }> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: QUERY, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', new File([image], 'ktp.png', { type: 'image/png' }));
  const request = new Request(endpoint, { method: 'POST', body: form });
  return { body: await request.arrayBuffer(), contentType: request.headers.get('content-type')! };
}

async function uploader(image: Uint8Array<ArrayBuffer>, url = endpoint): Promise<() => Promise<Response>> {
  const { body, contentType } = await multipartBody(image);
  return () => fetch(url, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', 'content-type': contentType }, body });
}

function typename(): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

async function timed(call: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await call();
  await response.text();
  return performance.now() - start;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const format = (ms: number) => `${ms.toFixed(2)} ms`;

// 1. Cache hit vs { __typename }, interleaved so that machine noise hits both alike.
const image = await testPngOfSize(1, 200 * 1024);
const upload = await uploader(image);
const first = (await (await upload()).json()) as { data: { recognizeKtp: { cached: boolean } } };
if (first.data.recognizeKtp.cached) throw new Error('the first upload should not be a cache hit');
for (let i = 0; i < 50; i++) {
  await timed(upload);
  await timed(typename);
}
const hits: number[] = [];
const typenames: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  hits.push(await timed(upload));
  typenames.push(await timed(typename));
}
hits.sort((a, b) => a - b);
typenames.sort((a, b) => a - b);

// 2. 50 concurrent + 50 sequential identical uploads of a new image.
const fresh = await testPngOfSize(2, 200 * 1024);
const uploadFresh = await uploader(fresh);
await Promise.all(Array.from({ length: 50 }, () => uploadFresh().then((r) => r.text())));
for (let i = 0; i < 50; i++) await (await uploadFresh()).text();
const calls = fake.callsFor(contentHash(fresh));

// 3. The same cache hit straight to /graphql and through Hive Gateway, interleaved.
const supergraph = await benchSupergraph({ origin: `http://127.0.0.1:${PORT}`, uploader: (url) => uploader(image, url), timed, rounds: ROUNDS });
for (const list of [supergraph.direct, supergraph.viaHive]) list.sort((a, b) => a - b);

console.log(`ktp-gateway benchmark (${ROUNDS} rounds, image ${image.byteLength} bytes, node ${process.version})`);
console.log('');
console.log('| request                         | median    | p99       |');
console.log('|---------------------------------|-----------|-----------|');
console.log(`| recognizeKtp, cache hit (200 KB) | ${format(percentile(hits, 50))} | ${format(percentile(hits, 99))} |`);
console.log(`| { __typename }                  | ${format(percentile(typenames, 50))} | ${format(percentile(typenames, 99))} |`);
console.log(`| ratio                           | ${(percentile(hits, 50) / percentile(typenames, 50)).toFixed(2)}x     | ${(percentile(hits, 99) / percentile(typenames, 99)).toFixed(2)}x     |`);
console.log('');
console.log(`upstream calls for 50 concurrent + 50 sequential identical uploads: ${calls}`);
console.log('');
console.log('Hive Gateway in front (its own process), the same cache hit, interleaved:');
console.log('');
console.log('| recognizeKtp, cache hit (200 KB)  | median    | p99       |');
console.log('|-----------------------------------|-----------|-----------|');
console.log(`| straight to ktp-gateway /graphql  | ${format(percentile(supergraph.direct, 50))} | ${format(percentile(supergraph.direct, 99))} |`);
console.log(`| through Hive Gateway              | ${format(percentile(supergraph.viaHive, 50))} | ${format(percentile(supergraph.viaHive, 99))} |`);
console.log(`| Hive Gateway's overhead           | ${format(percentile(supergraph.viaHive, 50) - percentile(supergraph.direct, 50))} | ${format(percentile(supergraph.viaHive, 99) - percentile(supergraph.direct, 99))} |`);
console.log(`| ratio                             | ${(percentile(supergraph.viaHive, 50) / percentile(supergraph.direct, 50)).toFixed(2)}x     | ${(percentile(supergraph.viaHive, 99) / percentile(supergraph.direct, 99)).toFixed(2)}x     |`);

server.kill('SIGTERM');
await once(server, 'exit');
await fake.close();
