/**
 * `npm run bench:busy`: does the server stay responsive while the offline engine is busy?
 * Measured in one run on this machine, against `npm start`'s code in a child process with the
 * default (local) provider and its default pool:
 *  - `{ __typename }` latency while four OCR requests (distinct held-out cards) are in flight
 *    (goal: every answer within 50 ms);
 *  - the latency of a cache-hit `recognizeKtp` in the same window (it must not queue behind OCR);
 *  - the four recognitions' own latencies, for scale.
 *
 *   npm run bench:busy -- [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateCard } from '../tools/synthetic-ktp/index.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench:busy -- [--rounds N]

Whether the server stays responsive while the offline engine is busy: { __typename } and a
cache hit while four recognitions are in flight, against src/server.ts in a child process.

Options:
  --rounds N    rounds of four recognitions (default 3)
Environment:
  BENCH_PORT    the server's port (default 4398)`);

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const ROUNDS = Number(values.rounds);
const PORT = Number(process.env.BENCH_PORT ?? 4398);
const base = `http://127.0.0.1:${PORT}`;
const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik cached } ... on OcrError { code } } }';

const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', KTP_PROVIDER: 'local', NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const startedAt = performance.now();
await once(server.stdout!, 'data');
while ((await fetch(`${base}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
const warmMs = performance.now() - startedAt;

/** The multipart body, encoded once so the client's encoding is not timed. */
async function uploader(image: Uint8Array): Promise<() => Promise<Response>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: QUERY, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', new File([new Uint8Array(image)], 'ktp.jpg', { type: 'image/jpeg' }));
  const request = new Request(`${base}/graphql`, { method: 'POST', body: form });
  const body = await request.arrayBuffer();
  const contentType = request.headers.get('content-type')!;
  return () => fetch(`${base}/graphql`, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', 'content-type': contentType }, body });
}

const typename = () =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

async function timed(call: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  await (await call()).text();
  return performance.now() - start;
}

// A card recognised once before the busy window: its later uploads are cache hits.
const cachedUpload = await uploader((await generateCard(40_000).render('photo')).bytes);
await (await cachedUpload()).text();

const typenames: number[] = [];
const hits: number[] = [];
const recognitions: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const uploads = await Promise.all(
    [1, 2, 3, 4].map(async (i) => uploader((await generateCard(40_000 + round * 10 + i).render('photo')).bytes)),
  );
  let inFlight = uploads.length;
  const busy = Promise.all(
    uploads.map(async (upload) => {
      recognitions.push(await timed(upload));
      inFlight--;
    }),
  );
  // Probe while all four are still in flight: once one finishes the engine is less busy.
  await new Promise((resolve) => setTimeout(resolve, 50));
  while (inFlight === uploads.length) {
    typenames.push(await timed(typename));
    hits.push(await timed(cachedUpload));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await busy;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const row = (label: string, xs: number[]) =>
  `| ${label.padEnd(38)} | ${String(xs.length).padStart(5)} | ${at(xs, 50).toFixed(1).padStart(8)} | ${at(xs, 99).toFixed(1).padStart(8)} | ${Math.max(...xs).toFixed(1).padStart(8)} |`;

console.log(`offline engine under load (${ROUNDS} rounds of 4 concurrent photo cards, node ${process.version}); warm after ${(warmMs / 1000).toFixed(1)} s`);
console.log('');
console.log('| request (ms)                           |     n |   median |      p99 |      max |');
console.log('|----------------------------------------|-------|----------|----------|----------|');
console.log(row('{ __typename }, 4 OCR in flight', typenames));
console.log(row('recognizeKtp cache hit, 4 OCR in flight', hits));
console.log(row('recognizeKtp, one of 4 concurrent', recognitions));

server.kill('SIGTERM');
await once(server, 'exit');
