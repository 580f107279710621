import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_MESSAGES, CONTRACT_ROUTE } from '../support/contract.ts';

/** Limits through a real gateway and the fake paid API: typed and free on GraphQL, 429 on REST. */
const SMALL = 'small-budget-key';
const BIG = 'big-budget-key';
const CHATTY = 'chatty-key';

let gw: GatewayServer;
beforeAll(async () => {
  const file = writeKeyFile([
    { id: 'small', key: SMALL, paidCallsPerDay: 1 },
    { id: 'big', key: BIG, paidCallsPerDay: 100 },
    { id: 'chatty', key: CHATTY, requestsPerMinute: 2 },
  ]);
  gw = await startGatewayServer({ env: { API_KEYS_FILE: file } });
});
afterAll(() => gw.close());

let seed = 9400;
const FIELDS = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { cached } ... on OcrError { code charged retryable retryAfterSeconds } } }';
async function graphql(key: string, bytes: Uint8Array) {
  const response = await request(gw.graphqlUrl, uploadInit({ bytes }, { query: FIELDS, headers: { ...CSRF_HEADERS, authorization: `Bearer ${key}` } }));
  return response.json!.data!.recognizeKtp as Record<string, unknown>;
}
const rest = (key: string, bytes: Uint8Array) =>
  request(`${gw.origin}${CONTRACT_ROUTE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': key },
    body: new URLSearchParams({ img: Buffer.from(bytes).toString('base64') }).toString(),
  });

describe('a client over its daily budget of paid calls', () => {
  it('gets QUOTA_EXCEEDED with no paid call, while its cached image and another client are still served', async () => {
    const [paid, over, other] = await Promise.all([seed++, seed++, seed++].map((s) => testJpeg(s)));
    expect(await graphql(SMALL, paid!)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    const refused = await graphql(SMALL, over!);
    expect(refused).toMatchObject({ __typename: 'OcrError', code: 'QUOTA_EXCEEDED', charged: false, retryable: true });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(86_400);
    expect(gw.fake.callsFor(contentHash(over!))).toBe(0);
    expect(await graphql(SMALL, paid!)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(await graphql(BIG, other!)).toMatchObject({ __typename: 'KtpIdentity' });

    // REST: HTTP 429, Retry-After, and the contract's free "try again later".
    const viaRest = await rest(SMALL, over!);
    expect(viaRest.status).toBe(429);
    expect(Number(viaRest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(viaRest.text)).toEqual({ status: 'INNER_ERROR', message: CONTRACT_MESSAGES.INNER_ERROR });
    expect(viaRest.headers.get('x-ktp-charged')).toBe('false');
    expect(gw.fake.callsFor(contentHash(over!))).toBe(0);
  });
});

describe('a client over its requests per minute', () => {
  it('gets RATE_LIMITED (GraphQL) and 429 (REST), free, with the seconds to wait', async () => {
    const bytes = await testJpeg(seed++);
    await graphql(CHATTY, bytes);
    await graphql(CHATTY, bytes);
    expect(await graphql(CHATTY, bytes)).toMatchObject({ __typename: 'OcrError', code: 'RATE_LIMITED', charged: false, retryable: true });
    const viaRest = await rest(CHATTY, bytes);
    expect(viaRest.status).toBe(429);
    expect(viaRest.headers.get('x-ktp-limit')).toBe('RATE_LIMITED');
    expect(Number(viaRest.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });
});
