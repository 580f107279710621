import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { testJpeg } from '../support/images.ts';
import { collectedLogs, findPersonalData } from '../support/log-collector.ts';
import { uploadInit } from '../support/multipart.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * What the README promises of `npm start`, checked against its code in a child process
 * (src/server.ts): the probes, GraphiQL on and off, the REST contract with the default offline
 * engine, and the CACHE_* settings reaching the gateway. One offline-engine server for the file
 * (the engine is slow to warm on two cores); the others use the fake paid API and start fast.
 * Nothing is timed: the probes are polled until they change, bounded by the test timeout.
 */
const card = (name: string) => new URL(`../fixtures/cards/${name}`, import.meta.url);
const truthOf = async (id: string) => JSON.parse(await readFile(card(`${id}/truth.json`), 'utf8')) as Record<string, string>;

let offline: ServerProcess;
/** The first /readyz answer, asked for as soon as the socket listened. */
let firstReadiness: { status: number; body: Record<string, unknown> };
let fake: FakeEkycpro;
const paid: ServerProcess[] = [];

beforeAll(async () => {
  // No KTP_PROVIDER and no NODE_ENV: the defaults a user gets from `npm start`.
  offline = await startServerProcess({}, 'offline server');
  const response = await fetch(`${offline.origin}/readyz`);
  firstReadiness = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  fake = await startFakeEkycpro();
});

afterAll(async () => {
  await Promise.all([offline, ...paid].map((server) => server?.stop()));
  await fake?.close();
  // Everything these servers logged, warm-up, recognitions of fixture cards and shutdown included.
  expect(findPersonalData(collectedLogs())).toEqual([]);
});

/**
 * Two production servers in front of the fake, started once each (a start costs seconds): one with
 * GraphiQL forced on and a one-second cache TTL, one with the defaults and a cache too small for
 * any outcome. Each test uses only the settings it is about.
 */
let graphiqlAndShortTtl: Promise<ServerProcess> | undefined;
let defaultsAndTinyCache: Promise<ServerProcess> | undefined;
const paidEnv = () => ({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true' });
function startPaid(env: Record<string, string>): Promise<ServerProcess> {
  const started = startServerProcess({ ...paidEnv(), ...env }, 'paid server');
  void started.then((server) => paid.push(server));
  return started;
}
const withGraphiqlAndShortTtl = () => (graphiqlAndShortTtl ??= startPaid({ GRAPHIQL: 'true', CACHE_TTL_SECONDS: '1' }));
const withDefaultsAndTinyCache = () => (defaultsAndTinyCache ??= startPaid({ CACHE_MAX_BYTES: '1' }));

async function getGraphiQL(server: ServerProcess): Promise<{ status: number; contentType: string; body: string }> {
  const response = await fetch(`${server.origin}/graphql`, { headers: { accept: 'text/html' } });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

describe('npm start (offline engine, the defaults)', () => {
  it('GET /healthz → 200 while the engine is still loading', async () => {
    const response = await fetch(`${offline.origin}/healthz`);
    expect(response.status).toBe(200);
  });

  it('GET /readyz → 503 before the engine is warm, then 200 once it is', async () => {
    expect(firstReadiness).toMatchObject({ status: 503, body: { ready: false, provider: 'local' } });
    await expect.poll(async () => (await fetch(`${offline.origin}/readyz`)).status, { timeout: 90_000, interval: 250 }).toBe(200);
    const ready = await fetch(`${offline.origin}/readyz`);
    expect(await ready.json()).toMatchObject({ ready: true, provider: 'local' });
  }, 120_000);

  it('serves GraphiQL outside production: HTML on GET /graphql for a browser', async () => {
    const page = await getGraphiQL(offline);
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.body).toMatch(/graphiql/i);
  });

  it('POST /v1/id_ocr/general with no KTP_PROVIDER reads a fixture card with the offline engine', async () => {
    const bytes = await readFile(card('ktp-09185/photo.jpg'));
    const response = await fetch(`${offline.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': 'any-key' },
      body: new URLSearchParams({ img: bytes.toString('base64') }).toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; message: Record<string, string> };
    expect(body.status).toBe('OK');
    expect(body.message.id).toBe((await truthOf('ktp-09185')).id);
    // Free: the offline engine charges nothing.
    expect(response.headers.get('x-ktp-charged')).toBe('false');
  }, 120_000);
});

describe('npm start: GraphiQL with NODE_ENV and GRAPHIQL', () => {
  it('is not served under NODE_ENV=production: a browser gets no HTML page', async () => {
    const page = await getGraphiQL(await withDefaultsAndTinyCache());
    expect(page.contentType).not.toMatch(/text\/html/);
    expect(page.body).not.toMatch(/graphiql/i);
  });

  it('is served under NODE_ENV=production with GRAPHIQL=true', async () => {
    const page = await getGraphiQL(await withGraphiqlAndShortTtl());
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.body).toMatch(/graphiql/i);
  });
});

describe('npm start: the CACHE_* settings reach the gateway', () => {
  async function upload(server: ServerProcess, bytes: Uint8Array): Promise<{ cached: boolean }> {
    const response = await fetch(`${server.origin}/graphql`, uploadInit({ bytes }));
    const json = (await response.json()) as { data: { recognizeKtp: { __typename: string; cached: boolean } } };
    expect(json.data.recognizeKtp.__typename).toBe('KtpIdentity');
    return json.data.recognizeKtp;
  }

  it('CACHE_TTL_SECONDS=1: a repeat upload is served from the cache until the entry expires, then paid again', async () => {
    const server = await withGraphiqlAndShortTtl();
    const bytes = await testJpeg(9951);
    expect(await upload(server, bytes)).toMatchObject({ cached: false });
    // With the default TTL (a day) this would never pay again; polled, not timed.
    await expect.poll(async () => (await upload(server, bytes)).cached, { timeout: 20_000, interval: 300 }).toBe(false);
    expect(fake.callsFor(contentHash(bytes))).toBe(2);
  });

  it('CACHE_MAX_BYTES=1: no outcome fits, so an identical upload is paid again (the default keeps it: test/e2e/paid-once.spec.ts)', async () => {
    const server = await withDefaultsAndTinyCache();
    const bytes = await testJpeg(9952);
    expect(await upload(server, bytes)).toMatchObject({ cached: false });
    expect(await upload(server, bytes)).toMatchObject({ cached: false });
    expect(fake.callsFor(contentHash(bytes))).toBe(2);
  });
});
