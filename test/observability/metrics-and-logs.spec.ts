import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

/** `/metrics` and the JSON logs of a real gateway in front of the fake paid API, against the fake's own call log. */
const APP = 'app-key-4410';
const ADMIN = 'admin-key-8821';

let gw: GatewayServer;
beforeAll(async () => {
  const file = writeKeyFile([
    { id: 'app', key: APP },
    { id: 'ops', key: ADMIN, admin: true },
  ]);
  gw = await startGatewayServer({ env: { API_KEYS_FILE: file } });
});
afterAll(() => gw.close());

const graphql = async (bytes: Uint8Array, headers: Record<string, string> = {}) =>
  request(gw.graphqlUrl, uploadInit({ bytes }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${APP}`, ...headers } }));

async function scrape(): Promise<Map<string, number>> {
  const response = await request(`${gw.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(response.status).toBe(200);
  const series = new Map<string, number>();
  for (const line of response.text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

const sum = (series: Map<string, number>, prefix: string) => [...series].filter(([name]) => name.startsWith(prefix)).reduce((total, [, value]) => total + value, 0);

describe('/metrics', () => {
  it('counts paid calls exactly as the fake logged them, and the calls avoided (cache hits + coalesced)', async () => {
    const images = await Promise.all([701, 702, 703].map((seed) => testJpeg(seed)));
    // 3 distinct images, each sent 3 times at once, then once more: 3 paid, 9 avoided.
    for (const image of images) await Promise.all([graphql(image), graphql(image), graphql(image)]);
    for (const image of images) await graphql(image);
    const series = await scrape();
    const fakeCalls = images.reduce((total, image) => total + gw.fake.callsFor(contentHash(image)), 0);
    expect(fakeCalls).toBe(3);
    expect(series.get('ktp_paid_calls_total{client="app",status="OK"}')).toBe(fakeCalls);
    expect(series.get('ktp_cache_lookups_total{result="miss"}')).toBe(3);
    expect((series.get('ktp_cache_lookups_total{result="hit"}') ?? 0) + (series.get('ktp_cache_lookups_total{result="coalesced"}') ?? 0)).toBe(9);
    expect(series.get('ktp_recognitions_total{route="graphql",client="app",source="provider",outcome="OK"}')).toBe(3);
    expect(series.get('ktp_upstream_latency_seconds_count{status="OK"}')).toBe(fakeCalls);
    expect(series.get('ktp_circuit_breaker_state')).toBe(0);
    expect(sum(series, 'ktp_http_requests_total{route="graphql",status="200"}')).toBe(12);
    expect(series.has('process_resident_memory_bytes')).toBe(true);
  });

  it('labels carry no hash and no card value', async () => {
    const response = await request(`${gw.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const image = await testJpeg(701);
    expect(response.text).not.toContain(contentHash(image).slice(0, 8));
    for (const value of [SAMPLE_IDENTITY.id, SAMPLE_IDENTITY.name, SAMPLE_IDENTITY.address]) expect(response.text).not.toContain(value);
  });

  it('needs an admin key when keys are configured', async () => {
    expect((await request(`${gw.origin}/metrics`)).status).toBe(401);
    expect((await request(`${gw.origin}/metrics`, { headers: { authorization: `Bearer ${APP}` } })).status).toBe(401);
  });
});

describe('logs', () => {
  it('one JSON line per request, with request id, client, route, outcome, cached/charged, durations and 8 hex of the hash; one audit line per paid call', async () => {
    const image = await testJpeg(710);
    const hash = contentHash(image);
    const first = await graphql(image, { 'x-request-id': 'req-first-710' });
    expect(first.headers.get('x-request-id')).toBe('req-first-710');
    await request(`${gw.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': APP, 'x-request-id': 'req-rest-710' },
      body: new URLSearchParams({ img: Buffer.from(image).toString('base64') }).toString(),
    });
    const lines = gw.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const byId = (id: string) => lines.filter((line) => line.reqId === id);
    expect(byId('req-first-710').find((line) => line.msg === 'request')).toMatchObject({
      client: 'app',
      route: 'graphql',
      status: 200,
      outcome: 'OK',
      source: 'provider',
      cached: false,
      charged: true,
      hash: hash.slice(0, 8),
      ms: expect.any(Number),
      recognitionMs: expect.any(Number),
    });
    expect(byId('req-first-710').filter((line) => line.audit === 'paid-call')).toEqual([
      expect.objectContaining({ client: 'app', status: 'OK', hash: hash.slice(0, 8), upstreamMs: expect.any(Number) }),
    ]);
    expect(byId('req-rest-710').find((line) => line.msg === 'request')).toMatchObject({ route: 'rest', client: 'app', outcome: 'OK', cached: true, charged: false });
    expect(byId('req-rest-710').filter((line) => line.audit === 'paid-call')).toEqual([]);
  });

  it('a refused request is logged without a client; an invented request id is replaced by a UUID', async () => {
    const refused = await graphql(await testJpeg(711), { authorization: 'Bearer wrong', 'x-request-id': 'x'.repeat(100) });
    expect(refused.status).toBe(401);
    const id = refused.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = gw.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.reqId === id);
    expect(line).toMatchObject({ msg: 'request', status: 401, route: 'graphql' });
    expect(line?.client).toBeUndefined();
  });

  it('never carry a NIK, a name, an address, the full hash or a key', async () => {
    const text = gw.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const value of [SAMPLE_IDENTITY.id, SAMPLE_IDENTITY.name, SAMPLE_IDENTITY.address, SAMPLE_IDENTITY.pob, APP, ADMIN]) expect(text).not.toContain(value);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});
