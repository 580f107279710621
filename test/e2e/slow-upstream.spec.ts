import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { request, startGatewayServer, type GatewayServer, type GatewayServerOptions } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { sumSeries } from '../support/metrics-text.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';

/**
 * "Never pays twice" when the paid API is slower than a request may wait: the call is never
 * abandoned, its charge is counted wherever charges are counted, and an answer that may have been
 * charged but could not be read is not sent again. Each case: the fake's calls, the client's usage,
 * the audit line, and what a retry gets.
 */
const APP = 'slow-app-key';
const THRIFTY = 'slow-thrifty-key';
const ADMIN = 'slow-admin-key';
/** A request waits 200 ms for the paid API (`EKYCPRO_TIMEOUT_MS`); the fake takes longer. */
const WAIT_MS = 200;

let gw: GatewayServer | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function start(provider: GatewayServerOptions['provider'] = {}, env: Record<string, string> = {}): Promise<GatewayServer> {
  const file = writeKeyFile([
    { id: 'app', key: APP },
    { id: 'thrifty', key: THRIFTY, paidCallsPerDay: 3 },
    { id: 'ops', key: ADMIN, admin: true },
  ]);
  gw = await startGatewayServer({ env: { API_KEYS_FILE: file, ...env }, provider: { timeoutMs: WAIT_MS, settleMs: 10_000, ...provider } });
  return gw;
}

const FIELDS = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { cached charged } ... on OcrError { code message charged retryable retryAfterSeconds } } }';
async function send(bytes: Uint8Array, key = APP): Promise<Record<string, any>> {
  const response = await request(gw!.graphqlUrl, uploadInit({ bytes }, { query: FIELDS, headers: { ...CSRF_HEADERS, authorization: `Bearer ${key}` } }));
  expect(response.status).toBe(200);
  return response.json!.data!.recognizeKtp;
}

async function usage(key = APP): Promise<Record<string, number>> {
  const response = await request(gw!.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ ktpUsage { recognitions paidCalls cacheHits coalesced } }' }),
  });
  return response.json!.data!.ktpUsage[0];
}

async function paidCallsMetric(): Promise<number> {
  const response = await request(`${gw!.origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return sumSeries(response.text, 'ktp_paid_calls_total');
}

const auditLines = () => gw!.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === 'paid-call');

const PENDING = { __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true };

describe('a paid API slower than the wait', () => {
  it('is paid once for an image sent six times: the sends join the call, the one after it lands is a hit', async () => {
    await start();
    gw!.fake.latencyMs = 1_500;
    const bytes = await testJpeg(9601);
    const first = await send(bytes);
    expect(first).toMatchObject(PENDING);
    expect(first.message).toMatch(/goes on.*kept/);
    expect(first.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // While the call runs, a retry joins it: it is either told "retry" again, or shares the answer.
    for (let retry = 0; retry < 4; retry++) {
      const answer = await send(bytes);
      if (answer.__typename === 'OcrError') expect(answer).toMatchObject(PENDING);
      else expect(answer).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    }
    await gw!.waitForSettled(1);
    expect(await send(bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true, charged: true });

    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(1);
    expect(await usage()).toMatchObject({ recognitions: 6, paidCalls: 1 });
    expect(await paidCallsMetric()).toBe(1);
    expect(auditLines()).toEqual([expect.objectContaining({ client: 'app', status: 'OK', late: true })]);
  });

  it('over REST: the contract\'s free INNER_ERROR with Retry-After while the call runs, then the kept OK', async () => {
    await start({}, { REST_API_KEYS: APP });
    gw!.fake.latencyMs = 800;
    const bytes = await testJpeg(9605);
    const rest = () =>
      request(`${gw!.origin}${CONTRACT_ROUTE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': APP },
        body: new URLSearchParams({ img: Buffer.from(bytes).toString('base64') }).toString(),
      });
    const first = await rest();
    expect(JSON.parse(first.text)).toMatchObject({ status: 'INNER_ERROR' });
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(first.headers.get('x-ktp-charged')).toBe('false');
    await gw!.waitForSettled(1);
    const second = await rest();
    expect(JSON.parse(second.text)).toMatchObject({ status: 'OK' });
    expect(second.headers.get('x-ktp-cached')).toBe('true');
    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('keeps a budget of 3 over 15 distinct slow images: at most 3 paid calls, and usage counts them', async () => {
    await start();
    gw!.fake.latencyMs = 800;
    const images = await Promise.all(Array.from({ length: 15 }, (_, i) => testJpeg(9610 + i)));
    const answers = await Promise.all(images.map((bytes) => send(bytes, THRIFTY)));
    // Three calls hold the budget while they run; every other image is refused before any call
    // (on a loaded machine some are told to retry before they reach the budget: still no call).
    expect(answers.filter((answer) => answer.code === 'QUOTA_EXCEEDED').length).toBeGreaterThanOrEqual(9);
    for (const answer of answers) expect(['UPSTREAM_UNAVAILABLE', 'QUOTA_EXCEEDED']).toContain(answer.code);
    await gw!.waitForSettled(3);
    // The budget is spent by the late charges: the day's fourth image is still refused.
    expect(await send(await testJpeg(9630), THRIFTY)).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(gw!.fake.calls).toHaveLength(3);
    expect(await usage(THRIFTY)).toMatchObject({ paidCalls: 3 });
    expect(auditLines().filter((line) => line.late)).toHaveLength(3);
  });

  it('keeps a late FAIL, which is charged: the retry after it lands gets it from the cache', async () => {
    await start();
    gw!.fake.latencyMs = 600;
    gw!.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const bytes = await testJpeg(9640);
    expect(await send(bytes)).toMatchObject(PENDING);
    await gw!.waitForSettled(1);
    expect(await send(bytes)).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: true, retryable: false });
    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(1);
    expect(await usage()).toMatchObject({ recognitions: 2, paidCalls: 1, cacheHits: 1 });
  });

  it('gives the budget hold back when the call settles with no answer (the settle limit), and the next send calls again', async () => {
    await start({ settleMs: 1_500 });
    gw!.fake.behaviour = () => ({ kind: 'hang' });
    const [first, second, third, fourth] = await Promise.all([9650, 9651, 9652, 9653].map((seed) => testJpeg(seed)));
    for (const answer of await Promise.all([first!, second!, third!].map((bytes) => send(bytes, THRIFTY)))) expect(answer).toMatchObject(PENDING);
    // Three holds taken while the calls hang: a fourth image is over the budget.
    expect(await send(fourth!, THRIFTY)).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    await gw!.waitForSettled(3);
    gw!.fake.behaviour = () => ({ kind: 'ok' });
    expect(await send(first!, THRIFTY)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(gw!.fake.callsFor(contentHash(first!))).toBe(2);
    expect(await usage(THRIFTY)).toMatchObject({ paidCalls: 1 });
  });
});

describe('an answer that may have been charged but could not be read', () => {
  const TRUNCATED_OK = '{"status":"OK","message":{"id":';

  it('a truncated OK is not sent again within the hold: 3 sends, 1 call, each a free retryable answer', async () => {
    await start({ timeoutMs: 5_000 }); // not slow: the answer is what is tested
    gw!.fake.behaviour = () => ({ kind: 'http', status: 200, contentType: 'application/json', body: TRUNCATED_OK });
    const bytes = await testJpeg(9660);
    for (let send_ = 0; send_ < 3; send_++) {
      const answer = await send(bytes);
      expect(answer).toMatchObject({ __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true, retryAfterSeconds: 900 });
      expect(answer.message).toMatch(/may have been charged.*not sent to the paid API again for 900 s/);
    }
    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(1);
    // Counted as a paid call: an operator reconciling with the invoice sees every possible charge.
    expect(await usage()).toMatchObject({ recognitions: 3, paidCalls: 1, cacheHits: 2 });
    expect(auditLines()).toEqual([expect.objectContaining({ status: 'UPSTREAM_UNAVAILABLE', maybeCharged: true })]);
  });

  it('a connection cut mid-body is held the same way', async () => {
    await start({ timeoutMs: 5_000 }); // the fake cuts the body after 250 ms
    gw!.fake.behaviour = () => ({ kind: 'cut', body: '{"status":"OK","message":{"name":"' });
    const bytes = await testJpeg(9661);
    for (let send_ = 0; send_ < 2; send_++) {
      expect(await send(bytes)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true, retryAfterSeconds: 900 });
    }
    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('with EKYCPRO_UNREADABLE_HOLD_SECONDS=0 the image is sent again at once', async () => {
    await start({ timeoutMs: 5_000 }, { EKYCPRO_UNREADABLE_HOLD_SECONDS: '0' });
    gw!.fake.behaviour = () => ({ kind: 'http', status: 200, contentType: 'application/json', body: TRUNCATED_OK });
    const bytes = await testJpeg(9662);
    await send(bytes);
    await send(bytes);
    expect(gw!.fake.callsFor(contentHash(bytes))).toBe(2);
  });

  it('a 502 page is known to be free: nothing is held, the next send calls again', async () => {
    await start({ timeoutMs: 5_000 }); // not slow: the answer is what is tested
    gw!.fake.behaviour = () => ({ kind: 'http', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' });
    const bytes = await testJpeg(9663);
    expect(await send(bytes)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    gw!.fake.behaviour = () => ({ kind: 'ok' });
    expect(await send(bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(await usage()).toMatchObject({ paidCalls: 1 });
  });
});
