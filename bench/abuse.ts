/**
 * `npm run bench:abuse`: hostile input and overload against the real server (`src/server.ts` in a
 * child process, on loopback only), each figure printed with its goal. Bounded in time (about
 * three minutes on the 2-core reference machine) and in requests; it stops by itself.
 *
 *  1. GraphQL documents built to be expensive (fragment doubling, deep nesting, alias floods):
 *     the server's worst event-loop block for each, and /healthz p99 while 20 arrive at once.
 *  2. 33+ hostile image files: upstream calls with the paid provider (the loopback fake);
 *     answers and peak RSS with the offline engine.
 *  3. 300 concurrent 2 MiB uploads against a 5 s upstream: RSS, calls open at once, answers.
 *  4. 500 slow-body connections: each closed within its timeout, /healthz p99 meanwhile; then
 *     SIGTERM with a paid recognition in flight: exit code and time to exit.
 *  5. 50 concurrent distinct card images on the offline engine: peak RSS.
 *
 * The server's own measurements (event-loop delay, RSS) come from bench/support/probe.ts, loaded
 * into its process. Nothing here asserts: it prints figures (a noisy machine is not a test).
 * `--only 1,3` runs some sections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { contentHash } from '../src/recognition/content-hash.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { blackPng, hostileImages, pngWithText } from '../test/support/hostile-images.ts';
import { testPng } from '../test/support/images.ts';
import type { ProbeStats } from './support/probe.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench:abuse -- [--only 1,3]

Hostile input and overload against the real server on loopback, each figure with its goal:
expensive documents, hostile images, 300 concurrent 2 MiB uploads, slow bodies and SIGTERM, 50
cards on the offline engine. About three minutes on two cores; it stops by itself.

Options:
  --only 1,3    run only these sections (1-5; default all)`);

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const sections = new Set((args.only ?? '1,2,3,4,5').split(',').map(Number));

const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on OcrError { code } } }';

// --- the server under test ------------------------------------------------------------------

interface Server {
  origin: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  reset(): Promise<void>;
  stats(): Promise<ProbeStats>;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './bench/support/probe.ts', 'src/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  while (!/localhost:(\d+)\/graphql/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    await sleep(20);
  }
  const origin = `http://127.0.0.1:${/localhost:(\d+)\/graphql/.exec(output)![1]}`;
  const ask = <T>(message: string, type: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (reply: { type: string }) => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        resolve(reply as T);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return {
    origin,
    child,
    exited,
    reset: () => ask('reset', 'reset'),
    stats: () => ask<ProbeStats>('stats', 'stats'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

// --- clients ----------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
}

/**
 * One POST with its body written from parts (shared buffers, not copied), read to the end. A
 * connection closed before any answer (the server refusing a body it will not read) is status 0.
 */
function post(origin: string, path: string, headers: Record<string, string>, parts: Uint8Array[], localAddress?: string): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
    const request = httpRequest({ host: hostname, port, path, method: 'POST', headers: { ...headers, 'content-length': String(length) }, agent: false, localAddress });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on('error', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, body: `connection closed: ${error.code ?? error.message}` });
    });
    for (const part of parts) request.write(part);
    request.end();
  });
}

function multipartParts(image: Uint8Array[], boundary = 'abuse-bench-boundary'): { headers: Record<string, string>; parts: Uint8Array[] } {
  const text = (s: string) => new TextEncoder().encode(s);
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: QUERY, variables: { image: null } })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.image"]}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="ktp.png"\r\nContent-Type: image/png\r\n\r\n`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-graphql-yoga-csrf': '1' },
    parts: [text(head), ...image, text(`\r\n--${boundary}--\r\n`)],
  };
}

function upload(origin: string, ...image: Uint8Array[]): Promise<Answer> {
  return uploadFrom(undefined, origin, ...image);
}

/** An upload from `localAddress` (any of 127/8 on Linux): another client host, with its own per-address share. */
function uploadFrom(localAddress: string | undefined, origin: string, ...image: Uint8Array[]): Promise<Answer> {
  const { headers, parts } = multipartParts(image);
  return post(origin, '/graphql', headers, parts, localAddress);
}

function postJson(origin: string, body: unknown): Promise<Answer> {
  return post(origin, '/graphql', { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, [
    new TextEncoder().encode(JSON.stringify(body)),
  ]);
}

/** What an answer was: HTTP status, and the recognition's typename or error code. */
function kindOf(answer: Answer): string {
  try {
    const json = JSON.parse(answer.body) as { data?: { recognizeKtp?: { __typename: string; code?: string } }; errors?: { extensions?: { code?: string } }[] };
    const result = json.data?.recognizeKtp;
    if (result) return result.__typename === 'OcrError' ? `${answer.status} ${result.code}` : `${answer.status} ${result.__typename}`;
    return `${answer.status} ${json.errors?.[0]?.extensions?.code ?? 'error'}`;
  } catch {
    return `${answer.status}`;
  }
}

function tally(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n}× ${kind}`).join(', ');
}

/** Probes /healthz (or another request) every `everyMs` until stopped; latencies in ms (a failed probe counts as Infinity). */
function probeHealth(origin: string, everyMs = 10, init?: { path: string; request: RequestInit }): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${origin}${init?.path ?? '/healthz'}`, init?.request);
        await response.text();
        latencies.push(response.ok ? performance.now() - started : Infinity);
      } catch (error) {
        latencies.push(Infinity);
        console.log(`    ${init?.path ?? '/healthz'} probe failed: ${(error as Error).cause ?? error}`);
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

// --- figures ----------------------------------------------------------------------------------

const figures: { section: string; figure: string; value: string; goal: string; met: boolean | null }[] = [];

function figure(section: string, name: string, value: string, goal = '', met: boolean | null = null): void {
  figures.push({ section, figure: name, value, goal, met });
  console.log(`  ${name}: ${value}${goal ? `   (goal: ${goal}${met === null ? '' : met ? ', met' : ', NOT MET'})` : ''}`);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'failed');
const mb = (value: number) => `${Math.round(value)} MB`;

function sleep(delay: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delay));
}

// --- 1. expensive GraphQL documents ------------------------------------------------------------

function doubling(levels: number): string {
  let document = `mutation ($image: Upload!) { ...F${levels} }\nfragment F0 on Mutation { recognizeKtp(image: $image) { __typename } }\n`;
  for (let i = 1; i <= levels; i++) document += `fragment F${i} on Mutation { ...F${i - 1} ...F${i - 1} }\n`;
  return document;
}

const ATTACKS: { name: string; body: (n: number) => unknown }[] = [
  { name: 'baseline: { __typename }', body: (n) => ({ query: `{ __typename } # ${n}` }) },
  { name: 'fragment doubling, 26 levels (the issue\'s 10.5 s document)', body: (n) => ({ query: `${doubling(26)}# ${n}` }) },
  { name: 'fragment doubling, 90 levels (2^90 paths, 4 KB)', body: (n) => ({ query: `${doubling(90)}# ${n}` }) },
  { name: 'nesting 10,000 deep (30 KB)', body: (n) => ({ query: `{ ${'a {'.repeat(10_000)} b ${'}'.repeat(10_000)} } # ${n}` }) },
  {
    name: 'fragment chain 1,500 long (within 64 KB)',
    body: (n) => {
      let document = `{ ...F1500 } # ${n}\nfragment F0 on Query { __typename }\n`;
      for (let i = 1; i <= 1500; i++) document += `fragment F${i} on Query { ...F${i - 1} }\n`;
      return { query: document };
    },
  },
  { name: '420,000 aliases in 8 MB of JSON', body: (n) => ({ query: `{ ${Array.from({ length: 420_000 }, (_, i) => `a${i}:__typename`).join(' ')} } # ${n}` }) },
  { name: '3,000 aliases in 50 KB of JSON', body: (n) => ({ query: `{ ${Array.from({ length: 3_000 }, (_, i) => `a${i}:__typename`).join(' ')} } # ${n}` }) },
  { name: '300 aliases within the token limit', body: (n) => ({ query: `{ ${Array.from({ length: 300 }, (_, i) => `a${i}:__typename`).join(' ')} } # ${n}` }) },
  { name: '60 KB comment before a small query', body: (n) => ({ query: `# ${'x'.repeat(60_000)} ${n}\n{ __typename }` }) },
];

async function section1(fake: FakeEkycpro): Promise<void> {
  console.log('\n1. Expensive GraphQL documents (paid provider, fake upstream); `{ __typename }` first, as the baseline');
  const server = await startServer({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY });
  const encode = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
  const send = (body: Uint8Array) =>
    post(server.origin, '/graphql', { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, [body]);
  try {
    for (const attack of ATTACKS) {
      // Built before measuring: the client's work is not the server's.
      const bodies = Array.from({ length: 26 }, (_, i) => encode(attack.body(i)));
      await send(bodies[25]!); // the first of a kind also compiles code paths; not counted
      // One at a time: the worst block a single document causes.
      let worstAlone = 0;
      const alone: Answer[] = [];
      for (const body of bodies.slice(20, 25)) {
        await server.reset();
        alone.push(await send(body));
        worstAlone = Math.max(worstAlone, (await server.stats()).maxBlockMs);
      }
      // 20 at once, each its own text (Yoga's document cache misses every one), /healthz probed meanwhile.
      const probe = probeHealth(server.origin, 5);
      await sleep(30);
      await server.reset();
      const many = await Promise.all(bodies.slice(0, 20).map(send));
      const twenty = await server.stats();
      await sleep(30);
      const health = await probe.stop();
      const all = [...alone, ...many];
      const p99 = percentile(health, 99);
      const no500 = !all.some((a) => a.status >= 500);
      console.log(`  - ${attack.name}: ${tally(all.map((a) => String(a.status)))}; ${firstError(alone[0]!)}`);
      figure('1', `${attack.name}: worst event-loop block of one document`, ms(worstAlone), '< 50 ms, no 500', worstAlone < 50 && no500);
      figure('1', `${attack.name}: server CPU per document (20 at once)`, ms(twenty.cpuMs / 20));
      figure('1', `${attack.name}: 20 at once: server's worst block / /healthz p99 (${health.length} probes)`, `${ms(twenty.maxBlockMs)} / ${ms(p99)}`, '/healthz p99 < 50 ms', p99 < 50);
    }
  } finally {
    await server.stop();
  }
}

function firstError(answer: Answer): string {
  try {
    return (JSON.parse(answer.body) as { errors?: { message: string }[] }).errors?.[0]?.message.slice(0, 80) ?? 'answered';
  } catch {
    return answer.body.slice(0, 80);
  }
}

// --- 2. hostile images ---------------------------------------------------------------------------

async function section2Paid(fake: FakeEkycpro): Promise<void> {
  console.log('\n2a. Hostile image files against the paid provider (fake upstream)');
  const server = await startServer({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY });
  try {
    const files = await hostileImages(777);
    const before = fake.calls.length;
    await server.reset();
    const graphql = await Promise.all(files.map((file) => upload(server.origin, file.bytes)));
    const rest = await Promise.all(
      files.map((file) =>
        post(server.origin, '/v1/id_ocr/general', { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': 'any-key' }, [
          new TextEncoder().encode(new URLSearchParams({ img: Buffer.from(file.bytes).toString('base64') }).toString()),
        ]),
      ),
    );
    const stats = await server.stats();
    console.log(`  GraphQL: ${tally(graphql.map(kindOf))}`);
    console.log(`  REST:    ${tally(rest.map((a) => `${a.status} ${(JSON.parse(a.body) as { status: string }).status}`))}`);
    figure('2', `${files.length} hostile files × (GraphQL + REST): upstream calls`, String(fake.calls.length - before), '0', fake.calls.length === before);
    figure('2', 'paid provider: worst event-loop block, peak RSS', `${ms(stats.maxBlockMs)}, ${mb(stats.peakRssMb)}`);
  } finally {
    await server.stop();
  }
}

async function startLocal(): Promise<Server> {
  const server = await startServer({ KTP_PROVIDER: 'local' });
  for (;;) {
    const ready = await fetch(`${server.origin}/readyz`).catch(() => null);
    if (ready?.ok) return server;
    await sleep(200);
  }
}

/** Each part on a fresh server, so each peak is its own and not what an earlier part left behind. */
async function sectionLocal(withHostile: boolean): Promise<void> {
  console.log('\n2b/5. The offline engine (default pool): 50 concurrent cards; hostile files; large legitimate images');
  let server = await startLocal();
  try {
    figure('5', 'offline engine: RSS once warm', mb((await server.stats()).rssMb));
    // 50 distinct images of the synthetic fixture cards, re-encoded so no two share bytes.
    const cards = await distinctCardImages(50);
    await server.reset();
    const started = performance.now();
    const cardAnswers = await Promise.all(cards.map((bytes) => upload(server.origin, bytes)));
    const cardStats = await server.stats();
    console.log(`  50 cards: ${tally(cardAnswers.map(kindOf))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    figure('5', '50 concurrent distinct cards on the offline engine: peak RSS', mb(cardStats.peakRssMb), '≤ 1200 MB', cardStats.peakRssMb <= 1200);
    const allAnswered = cardAnswers.length === 50 && cardAnswers.every((a) => a.status === 200);
    figure('5', '50 concurrent distinct cards: every request answered (an identity, or a retryable busy INNER_ERROR)', String(allAnswered), 'true', allAnswered);
    if (!withHostile) return;

    const files = await hostileImages(778);
    await server.reset();
    const answers = [];
    for (const file of files) answers.push(await upload(server.origin, file.bytes));
    const hostile = await server.stats();
    const typed = answers.every((a) => a.status === 200 && /IMAGE_INVALID_(FORMAT|SIZE)/.test(kindOf(a)));
    console.log(`  hostile files: ${tally(answers.map(kindOf))}`);
    figure('2', `${files.length} hostile files against the offline engine: every one refused or answered`, typed ? 'yes' : 'NO', 'all', typed);
    figure('2', 'offline engine, hostile files one after another: peak RSS, worst event-loop block', `${mb(hostile.peakRssMb)}, ${ms(hostile.maxBlockMs)}`);

    // The issue's 12 concurrent 6300² 16-bit PNGs: legitimate (39.7 MP), so decoded, shrunk on load.
    await server.stop();
    server = await startLocal();
    const big = await Promise.all(Array.from({ length: 12 }, (_, i) => blackPng(6300, 6300, 16, `big ${i}`)));
    await server.reset();
    const bigAnswers = await Promise.all(big.map((bytes) => upload(server.origin, bytes)));
    const bigStats = await server.stats();
    console.log(`  12 × 6300² 16-bit PNG (${Math.round(big[0]!.byteLength / 1024)} KB each): ${tally(bigAnswers.map(kindOf))}`);
    figure('2', '12 concurrent 6300² 16-bit PNGs on a fresh server: peak RSS (the issue measured 1.18 GB)', mb(bigStats.peakRssMb));
  } finally {
    await server.stop();
  }
}

async function distinctCardImages(count: number): Promise<Uint8Array[]> {
  const root = new URL('../test/fixtures/cards/', import.meta.url);
  const sources: Uint8Array[] = [];
  for (const dir of (await readdir(root)).filter((name) => name.startsWith('ktp-'))) {
    for (const file of ['photo.jpg', 'rotated.jpg', 'w640.jpg', 'clean.png']) {
      sources.push(new Uint8Array(await readFile(new URL(`${dir}/${file}`, root))));
    }
  }
  return Promise.all(
    Array.from({ length: count }, async (_, i) => new Uint8Array(await sharp(sources[i % sources.length]).jpeg({ quality: 70 + (i % 25) }).toBuffer())),
  );
}

// --- 3. 300 concurrent 2 MiB uploads -------------------------------------------------------------

async function section3(fake: FakeEkycpro): Promise<void> {
  console.log('\n3. 300 concurrent 2 MiB uploads against a 5 s upstream (paid provider, defaults)');
  const server = await startServer({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, EKYCPRO_TIMEOUT_MS: '30000' });
  const base = await testPng(4242, 832, 832); // noise: 2,077,xxx bytes, under 2 MiB with room for a tag
  // Built before measuring: the client's work is not the server's.
  const images = Array.from({ length: 300 }, (_, i) => pngWithText(base, `upload ${i}`));
  try {
    fake.latencyMs = 5_000;
    fake.peakOpen = 0;
    const before = fake.calls.length;
    // `{ __typename }` every 10 ms throughout: what any other client waits while the burst is handled.
    const typename = probeHealth(server.origin, 10, {
      path: '/graphql',
      request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) },
    });
    await sleep(50);
    await server.reset();
    const started = performance.now();
    // 300 clients, each from its own loopback address (127.0.1.1 … 127.0.2.50): per-address shares do not bind, the total does.
    const answers = await Promise.all(
      images.map((tagged, i) => uploadFrom(`127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`, server.origin, tagged).catch((error: Error) => ({ status: 0, body: error.message }))),
    );
    const stats = await server.stats();
    const latencies = await typename.stop();
    const answered = answers.filter((a) => a.status > 0).length;
    console.log(`  image ${base.byteLength + 27} bytes; answers: ${tally(answers.map(kindOf))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    figure('3', 'peak RSS of the server', mb(stats.peakRssMb), '< 1000 MB', stats.peakRssMb < 1000);
    figure('3', 'most calls open at the upstream at once', String(fake.peakOpen), '≤ EKYCPRO_MAX_CONCURRENCY (16)', fake.peakOpen <= 16);
    figure('3', 'requests answered (HTTP status received)', `${answered} / 300`, '300', answered === 300);
    figure('3', 'upstream calls', String(fake.calls.length - before));
    figure('3', 'max event-loop lag of the server (monitorEventLoopDelay)', ms(stats.maxBlockMs), '< 50 ms', stats.maxBlockMs < 50);
    figure('3', 'max event-loop lag counted in the CPU time the server had meanwhile (waiting for a core not counted)', ms(stats.maxBlockCpuMs), '< 50 ms', stats.maxBlockCpuMs < 50);
    figure(
      '3',
      `\`{ __typename }\` during the burst (${latencies.length} probes, ${latencies.filter((l) => !Number.isFinite(l)).length} failed): p50 / p99 / max`,
      `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} / ${ms(Math.max(...latencies))}`,
    );
  } finally {
    fake.latencyMs = 0;
    await server.stop();
  }
}

// --- 4. slow clients and SIGTERM -------------------------------------------------------------------

function rawConnection(origin: string): Promise<{ socket: Socket; closed: Promise<{ at: number; reply: string }> }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = '';
    socket.on('data', (data) => (reply += data.toString('latin1')));
    socket.on('error', () => {});
    // Not events.once: it would reject on the ECONNRESET of a connection the server cuts.
    const closed = new Promise<{ at: number; reply: string }>((resolve) => socket.on('close', () => resolve({ at: performance.now(), reply })));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

async function section4(fake: FakeEkycpro): Promise<void> {
  const headersMs = 2_000;
  const requestMs = 5_000;
  console.log(`\n4. 500 slow-body connections (SERVER_HEADERS_TIMEOUT_MS=${headersMs}, SERVER_REQUEST_TIMEOUT_MS=${requestMs}), then SIGTERM`);
  const env = {
    KTP_PROVIDER: 'ekycpro',
    EKYCPRO_URL: fake.url,
    EKYCPRO_API_KEY: FAKE_API_KEY,
    SERVER_HEADERS_TIMEOUT_MS: String(headersMs),
    SERVER_REQUEST_TIMEOUT_MS: String(requestMs),
  };
  const server = await startServer(env);
  try {
    const probe = probeHealth(server.origin, 20);
    await server.reset();
    const opened = performance.now();
    const slow = await Promise.all(Array.from({ length: 500 }, () => rawConnection(server.origin)));
    const connected = performance.now();
    for (const { socket } of slow) {
      // 10 KB declared: within MAX_JSON_BODY_BYTES, so only the request timeout can end it.
      socket.write('POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{');
    }
    const drip = setInterval(() => {
      for (const { socket } of slow) if (socket.writable) socket.write(' ');
    }, 1_000);
    const closes = await Promise.all(slow.map((connection) => connection.closed));
    clearInterval(drip);
    const health = await probe.stop();
    const stats = await server.stats();
    const held = closes.map((close) => close.at - opened);
    console.log(`  500 connections opened in ${ms(connected - opened)}; the longest is counted from the first one's opening`);
    const timedOut = closes.filter((close) => close.reply.startsWith('HTTP/1.1 408')).length;
    figure('4', '500 slow bodies: longest a connection was held', ms(Math.max(...held)), `≤ ${requestMs} ms + the 1 s check interval`, Math.max(...held) <= requestMs + 1_000 + 500);
    figure('4', '500 slow bodies: closed with HTTP 408', `${timedOut} / 500`, '500', timedOut === 500);
    figure('4', `/healthz p99 throughout (${health.length} probes, ${health.filter((l) => !Number.isFinite(l)).length} failed)`, ms(percentile(health, 99)), '< 100 ms', percentile(health, 99) < 100);
    figure('4', 'worst event-loop block meanwhile', ms(stats.maxBlockMs));
  } finally {
    await server.stop();
  }

  // SIGTERM: a paid recognition in flight, 100 slow bodies and 50 idle kept-alive connections.
  const stopping = await startServer(env);
  try {
    fake.latencyMs = 2_000;
    const image = await testPng(4343, 200, 150);
    const recognition = upload(stopping.origin, image).then((answer) => ({ answer, at: performance.now() }));
    const slow = await Promise.all(Array.from({ length: 100 }, () => rawConnection(stopping.origin)));
    for (const { socket } of slow) socket.write('POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Length: 1000\r\n\r\n{');
    const idle = await Promise.all(Array.from({ length: 50 }, () => rawConnection(stopping.origin)));
    for (const { socket } of idle) socket.write('GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n');
    while (fake.callsFor(contentHash(image)) === 0) await sleep(10);
    await sleep(100);
    const signalled = performance.now();
    stopping.child.kill('SIGTERM');
    const closed = await Promise.all([...slow, ...idle].map((connection) => connection.closed));
    const { answer, at: answeredAt } = await recognition;
    const code = await stopping.exited;
    const exitedAt = performance.now();
    figure('4', 'SIGTERM: 150 idle and slow connections closed within', ms(Math.max(...closed.map((c) => c.at)) - signalled));
    figure('4', 'SIGTERM: the paid recognition in flight', kindOf(answer), '200 KtpIdentity', kindOf(answer) === '200 KtpIdentity');
    figure('4', 'SIGTERM: exit code, and time from the last answer to exit', `${code}, ${ms(exitedAt - answeredAt)}`, '0, within 5 s', code === 0 && exitedAt - answeredAt < 5_000);
  } finally {
    fake.latencyMs = 0;
    await stopping.stop();
  }
}

// --- run --------------------------------------------------------------------------------------

console.log(`load average when starting: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (figures in ms are wall time; CPU figures are what the work cost)`);
const fake = await startFakeEkycpro();
try {
  if (sections.has(1)) await section1(fake);
  if (sections.has(2)) await section2Paid(fake);
  if (sections.has(3)) await section3(fake);
  if (sections.has(4)) await section4(fake);
  if (sections.has(2) || sections.has(5)) await sectionLocal(sections.has(2));
} finally {
  await fake.close();
}

console.log('\nSummary');
for (const f of figures.filter((f) => f.goal)) {
  console.log(`  [${f.met === null ? '  ' : f.met ? 'ok' : '!!'}] ${f.section}. ${f.figure}: ${f.value} (goal ${f.goal})`);
}
process.exit(0);
