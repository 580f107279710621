/**
 * `npm run bench:load`: issue 9's figures, in one run, loopback only, bounded in time and count.
 *  1. 200 concurrent clients for LOAD_SECONDS (default 60) against the paid fake at 200 ms, 40
 *     distinct images, 5 client keys; once with CACHE_SCOPE=shared, once with client. Errors,
 *     p50/p99, the server's RSS at start and end, paid calls against what the scope predicts
 *     (distinct images; distinct client × image pairs), and /metrics against the fake's call log.
 *  2. A client over its daily budget gets QUOTA_EXCEEDED with no paid call; another is served.
 *  3. Auth + metrics + logging on a cache hit: the same hit on a server with them and on one
 *     without, interleaved, the ratio of medians (goal <= 1.15x).
 *  4. The local engine shared by 2 clients: one sends 40 cards at once, the other one card every
 *     2 s; the second's p50 against its idle p50 (goal <= 2x). LOAD_SKIP_ENGINE=1 skips it.
 * Each gateway is `src/server.ts` in a child process, as users run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { FAKE_API_KEY, startFakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { testJpeg } from '../test/support/images.ts';
import { writeKeyFile } from '../test/support/key-files.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench:load

200 concurrent clients against the paid fake (CACHE_SCOPE shared, then client), a client over its
budget, the cost of auth + metrics + logging on a cache hit, and the engine shared by two clients.

Environment:
  LOAD_SECONDS           seconds of the 200-client load (default 60)
  LOAD_OVERHEAD_ROUNDS   rounds of the overhead comparison (default 1500)
  LOAD_SKIP_ENGINE=1     skip the shared-engine part`);

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CLIENTS = 200;
const IMAGES = 40;
const KEYS = ['load-key-a', 'load-key-b', 'load-key-c', 'load-key-d', 'load-key-e'];
const ADMIN = 'load-admin-key';
const TIGHT = 'load-tight-key';
const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { cached } ... on OcrError { code } } }';

const fake = await startFakeEkycpro();
// A bench that fails midway still stops the gateways it started.
process.on('uncaughtException', (error) => {
  console.error(error);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
fake.latencyMs = 200;
const children: ChildProcess[] = [];
const keyFile = writeKeyFile([
  ...KEYS.map((key, n) => ({ id: `client-${n + 1}`, key })),
  { id: 'ops', key: ADMIN, admin: true },
  { id: 'tight', key: TIGHT, paidCallsPerDay: 1 },
]);

async function startGateway(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, NODE_ENV: 'production', ...env },
    // The logs are written (their cost is measured) and thrown away.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (data: Buffer) => {
    if (output.length < 10_000) output += data;
  });
  while (!/GraphQL on http:\/\/localhost:(\d+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const origin = `http://127.0.0.1:${/GraphQL on http:\/\/localhost:(\d+)/.exec(output)![1]}`;
  while ((await fetch(`${origin}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  return origin;
}

async function stop(origin: string): Promise<void> {
  const index = origins.indexOf(origin);
  const child = children[index]!;
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}
const origins: string[] = [];
async function gateway(env: Record<string, string>): Promise<string> {
  const origin = await startGateway(env);
  origins.push(origin);
  return origin;
}

/** The multipart body, encoded once: a client's encoding cost is the client's, not the server's. */
async function multipartBody(image: Uint8Array<ArrayBuffer>, name = 'ktp.jpg'): Promise<{ body: ArrayBuffer; contentType: string }> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: QUERY, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', new File([image], name, { type: 'image/jpeg' }));
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: await request.arrayBuffer(), contentType: request.headers.get('content-type')! };
}

type Answer = { __typename: string; cached?: boolean; code?: string };
async function upload(origin: string, encoded: { body: ArrayBuffer; contentType: string }, key?: string): Promise<{ ms: number; answer: Answer | undefined; status: number }> {
  const started = performance.now();
  const headers: Record<string, string> = { 'x-graphql-yoga-csrf': '1', 'content-type': encoded.contentType };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${origin}/graphql`, { method: 'POST', headers, body: encoded.body });
  const json = (await response.json().catch(() => undefined)) as { data?: { recognizeKtp?: Answer } } | undefined;
  return { ms: performance.now() - started, answer: json?.data?.recognizeKtp, status: response.status };
}

async function scrape(origin: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}
const sumOf = (series: Map<string, number>, prefix: string) => [...series].filter(([name]) => name.startsWith(prefix)).reduce((total, [, value]) => total + value, 0);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1e6).toFixed(0)} MB`;
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

say(`ktp-gateway bench:load (node ${process.version}, load average at start ${loadavg().map((n) => n.toFixed(2)).join(' ')})`);
say('');

// 1. 200 concurrent clients, both scopes.
const images = await Promise.all(Array.from({ length: IMAGES }, (_, n) => testJpeg(90_000 + n).then((bytes) => multipartBody(bytes))));
say(`1. ${CLIENTS} concurrent clients × ${SECONDS} s, ${IMAGES} distinct images, ${KEYS.length} keys, paid fake at ${fake.latencyMs} ms`);
say('');
say('| CACHE_SCOPE | requests | errors | p50 | p99 | RSS start → end | paid calls (fake) | expected | /metrics paid | /metrics hit+coalesced+miss |');
say('|---|---|---|---|---|---|---|---|---|---|');
let clientScopeOrigin = '';
for (const scope of ['shared', 'client'] as const) {
  // Under `client`, the first second holds up to 200 distinct flights: the paid API's queue is
  // sized for them here (the default, 64, would answer some a free, retryable "busy").
  const origin = await gateway({ API_KEYS_FILE: keyFile, CACHE_SCOPE: scope, LOG_LEVEL: 'info', EKYCPRO_MAX_QUEUE: '256' });
  const rssStart = (await scrape(origin)).get('process_resident_memory_bytes');
  const callsBefore = fake.calls.length;
  const latencies: number[] = [];
  let errors = 0;
  const errorCodes = new Map<string, number>();
  const sentImages = new Set<number>();
  const sentPairs = new Set<string>();
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const key = KEYS[client % KEYS.length]!;
      while (performance.now() < deadline) {
        const image = Math.floor(Math.random() * IMAGES);
        sentImages.add(image);
        sentPairs.add(`${key}:${image}`);
        const { ms, answer } = await upload(origin, images[image]!, key).catch(() => ({ ms: 0, answer: undefined }));
        if (answer?.__typename !== 'KtpIdentity') {
          errors++;
          const code = answer?.code ?? 'no answer';
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        } else latencies.push(ms);
      }
    }),
  );
  const series = await scrape(origin);
  const paid = fake.calls.length - callsBefore;
  const expected = scope === 'shared' ? sentImages.size : sentPairs.size;
  const lookups = sumOf(series, 'ktp_cache_lookups_total');
  say(
    `| ${scope} | ${latencies.length + errors} | ${errors}${errors ? ` (${[...errorCodes].map(([code, n]) => `${n} ${code}`).join(', ')})` : ''} | ${percentile(latencies, 50).toFixed(1)} ms | ${percentile(latencies, 99).toFixed(1)} ms | ${mb(rssStart)} → ${mb(series.get('process_resident_memory_bytes'))} | ${paid} | ${expected} | ${sumOf(series, 'ktp_paid_calls_total')} | ${lookups} (of ${latencies.length + errors} requests) |`,
  );
  if (scope === 'client') clientScopeOrigin = origin;
  else await stop(origin);
}
say('');

// 2. Over the daily budget.
{
  const callsBefore = fake.calls.length;
  const [first, second, other] = await Promise.all([91_001, 91_002, 91_003].map((seed) => testJpeg(seed).then((bytes) => multipartBody(bytes))));
  const spent = await upload(clientScopeOrigin, first!, TIGHT);
  const afterFirst = fake.calls.length;
  const refused = await upload(clientScopeOrigin, second!, TIGHT);
  const refusedCalls = fake.calls.length - afterFirst;
  const served = await upload(clientScopeOrigin, other!, KEYS[0]);
  say(`2. budget of 1 paid call a day: first ${spent.answer?.__typename}, second ${refused.answer?.code ?? refused.answer?.__typename} with ${refusedCalls} paid calls; another client meanwhile: ${served.answer?.__typename}; fake calls for the three: ${fake.calls.length - callsBefore}`);
  say('');
  await stop(clientScopeOrigin);
}

// 3. Overhead of auth + metrics + logging on a cache hit.
{
  const ROUNDS = Number(process.env.LOAD_OVERHEAD_ROUNDS ?? 1500);
  const withAll = await gateway({ API_KEYS_FILE: keyFile, LOG_LEVEL: 'info' });
  const without = await gateway({ ALLOW_ANONYMOUS: 'true', METRICS: 'false', LOG_LEVEL: 'silent' });
  const hit = images[0]!;
  await upload(withAll, hit, KEYS[0]);
  await upload(without, hit);
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 100 + ROUNDS; i++) {
    const a = await upload(withAll, hit, KEYS[0]);
    const b = await upload(without, hit);
    if (a.answer?.cached !== true || b.answer?.cached !== true) throw new Error('both should answer from the cache');
    if (i >= 100) {
      on.push(a.ms);
      off.push(b.ms);
    }
  }
  const ratio = percentile(on, 50) / percentile(off, 50);
  say(`3. cache hit, ${ROUNDS} interleaved rounds: with auth + metrics + logs p50 ${percentile(on, 50).toFixed(2)} ms (p99 ${percentile(on, 99).toFixed(2)}), without ${percentile(off, 50).toFixed(2)} ms (p99 ${percentile(off, 99).toFixed(2)}): ratio ${ratio.toFixed(3)}x (goal <= 1.15x)`);
  say('');
  await stop(withAll);
  await stop(without);
}

// 4. The local engine shared fairly.
if (process.env.LOAD_SKIP_ENGINE !== '1') {
  const origin = await gateway({ KTP_PROVIDER: 'local', API_KEYS_FILE: keyFile, LOCAL_OCR_MAX_QUEUE: '64', LOG_LEVEL: 'warn' });
  // Real cards, each made distinct by bytes after the JPEG's end (ignored by decoders), so nothing is cached.
  const cards = readdirSync('test/fixtures/cards')
    .filter((dir) => statSync(join('test/fixtures/cards', dir)).isDirectory())
    .flatMap((dir) => ['w640.jpg', 'photo.jpg'].map((file) => join('test/fixtures/cards', dir, file)))
    .map((path) => new Uint8Array(readFileSync(path)));
  let unique = 0;
  const distinct = () => {
    const card = cards[unique % cards.length]!;
    const tail = new TextEncoder().encode(`bench-${unique++}`);
    const bytes = new Uint8Array(card.byteLength + tail.byteLength);
    bytes.set(card);
    bytes.set(tail, card.byteLength);
    return multipartBody(bytes);
  };
  const idle: number[] = [];
  for (let i = 0; i < 3; i++) idle.push((await upload(origin, await distinct(), KEYS[1])).ms);
  const floodBodies = await Promise.all(Array.from({ length: 40 }, () => distinct()));
  const floodStarted = performance.now();
  let floodDone = false;
  const flood = Promise.all(floodBodies.map((body) => upload(origin, body, KEYS[0]))).then((answers) => {
    floodDone = true;
    return answers;
  });
  const patient: number[] = [];
  while (!floodDone) {
    const tick = performance.now();
    const answer = await upload(origin, await distinct(), KEYS[1]);
    if (!floodDone) patient.push(answer.ms);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2000 - (performance.now() - tick))));
  }
  const floodAnswers = await flood;
  const floodMs = performance.now() - floodStarted;
  const identities = floodAnswers.filter((answer) => answer.answer?.__typename === 'KtpIdentity').length;
  say(
    `4. local engine: idle p50 ${percentile(idle, 50).toFixed(0)} ms; while another client's 40 cards ran (${(floodMs / 1000).toFixed(1)} s, ${identities}/40 identities), ${patient.length} cards every 2 s: p50 ${percentile(patient, 50).toFixed(0)} ms = ${(percentile(patient, 50) / percentile(idle, 50)).toFixed(2)}x idle (goal <= 2x)`,
  );
  await stop(origin);
}

say('');
say(`load average at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
await fake.close();
process.exit(0);
