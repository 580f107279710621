import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { HANG_TIMEOUT_MS, request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, multipartForm, uploadInit } from '../support/multipart.ts';

/** The money rules, over real HTTP: a paid answer is paid for once, whoever asks and however. */
let gw: GatewayServer | undefined;
/** The upstream is given latency below; the timeout must not be what a test measures. */
const SLOW_UPSTREAM_OK = { provider: { timeoutMs: 5_000 } };

afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function recognizeKtp(server: GatewayServer, bytes: Uint8Array) {
  const response = await request(server.graphqlUrl, uploadInit({ bytes }));
  expect(response.status).toBe(200);
  expect(response.json?.errors).toBeUndefined();
  return response.json!.data!.recognizeKtp as { __typename: string; cached: boolean; code?: string };
}

describe('paid once', () => {
  it('50 concurrent then 50 sequential identical uploads reach the upstream exactly once', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    gw.fake.latencyMs = 150; // long enough for the 50 concurrent requests to overlap
    const bytes = await testJpeg(2001);
    const hash = contentHash(bytes);

    const concurrent = await Promise.all(Array.from({ length: 50 }, () => recognizeKtp(gw!, bytes)));
    expect(gw.fake.callsFor(hash)).toBe(1);
    expect(concurrent.every((r) => r.__typename === 'KtpIdentity')).toBe(true);
    expect(concurrent.filter((r) => !r.cached)).toHaveLength(1);

    for (let i = 0; i < 50; i++) {
      const result = await recognizeKtp(gw, bytes);
      expect(result).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    }
    expect(gw.fake.callsFor(hash)).toBe(1);
    expect(gw.fake.calls).toHaveLength(1);
  });

  it('aliases of recognizeKtp with the same file in one operation make one call', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    const bytes = await testJpeg(2002);
    const query = /* GraphQL */ `
      mutation ($image: Upload!) {
        a: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
        b: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
        c: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
      }
    `;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes }, { query }));
    expect(response.json?.errors).toBeUndefined();
    const { a, b, c } = response.json!.data!;
    expect([a.nik, b.nik, c.nik]).toEqual(Array(3).fill('3171024302821001'));
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('one file mapped to two variables in one operation makes one call', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    const bytes = await testJpeg(2003);
    const query = /* GraphQL */ `
      mutation ($front: Upload!, $copy: Upload!) {
        a: recognizeKtp(image: $front) { __typename }
        b: recognizeKtp(image: $copy) { __typename }
      }
    `;
    const response = await request(
      gw.graphqlUrl,
      uploadInit({ bytes }, { query, variables: { front: null, copy: null }, map: { 0: ['variables.front', 'variables.copy'] } }),
    );
    expect(response.json?.errors).toBeUndefined();
    expect(response.json!.data).toEqual({ a: { __typename: 'KtpIdentity' }, b: { __typename: 'KtpIdentity' } });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('caches a FAIL: the second request makes zero calls and says cached', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const bytes = await testJpeg(2004);
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ code: 'FAIL', cached: false });
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ code: 'FAIL', cached: true, charged: true });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('does not cache an INNER_ERROR: the second request calls the upstream again', async () => {
    gw = await startGatewayServer({ provider: { timeoutMs: 5_000, retries: 2 } });
    gw.fake.behaviour = () => ({ kind: 'status', status: 'INNER_ERROR' });
    const bytes = await testJpeg(2005);
    const hash = contentHash(bytes);
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ code: 'INNER_ERROR', cached: false });
    expect(gw.fake.callsFor(hash)).toBe(3);
    gw.fake.behaviour = () => ({ kind: 'ok' });
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(gw.fake.callsFor(hash)).toBe(4);
  });

  it('does not cache a hang: the next request tries again', async () => {
    gw = await startGatewayServer({ provider: { timeoutMs: HANG_TIMEOUT_MS } });
    gw.fake.behaviour = () => ({ kind: 'hang' });
    const bytes = await testJpeg(2006);
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    gw.fake.behaviour = () => ({ kind: 'ok' });
    expect(await recognizeKtp(gw, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(2);
  });

  it('keeps the paid result of a client that disconnected mid-request for the next identical request', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    gw.fake.latencyMs = 300;
    const bytes = await testJpeg(2007);
    const hash = contentHash(bytes);

    // A raw client we can cut off: send the whole upload, then drop the socket while the upstream works.
    const form = new Response(multipartForm({ bytes }));
    const body = new Uint8Array(await form.arrayBuffer());
    const contentType = form.headers.get('content-type')!;
    const url = new URL(gw.graphqlUrl);
    const client = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { ...CSRF_HEADERS, 'content-type': contentType, 'content-length': body.byteLength },
    });
    let answered = false;
    client.on('response', () => (answered = true));
    client.on('error', () => {});
    client.end(body);
    await expect.poll(() => gw!.fake.callsFor(hash), { timeout: 2_000, interval: 5 }).toBe(1);
    client.destroy();

    await gw.waitForSettled(1); // the upstream answered after the client had gone
    expect(answered).toBe(false);

    expect(await recognizeKtp(gw, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(gw.fake.callsFor(hash)).toBe(1);
  });

  it('uploads of different images are each paid for once', async () => {
    gw = await startGatewayServer(SLOW_UPSTREAM_OK);
    const images = await Promise.all([2010, 2011, 2012].map((s) => testJpeg(s)));
    await Promise.all(images.flatMap((bytes) => [recognizeKtp(gw!, bytes), recognizeKtp(gw!, bytes)]));
    for (const bytes of images) expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });
});
