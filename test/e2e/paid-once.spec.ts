import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { HANG_TIMEOUT_MS, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, multipartForm } from '../support/multipart.ts';
import { paidOnceScenarios } from './scenarios/paid-once.ts';
import { recognizeKtp } from './scenarios/target.ts';

/** The money rules, over real HTTP: a paid answer is paid for once, whoever asks and however. */
let gw: GatewayServer | undefined;
/** The upstream is given latency below; the timeout must not be what a test measures. */
const SLOW_UPSTREAM_OK = { provider: { timeoutMs: 5_000 } };

afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('paid once', () => {
  // Shared with the gateway-behind-a-gateway chain (gateway-as-upstream.spec.ts).
  paidOnceScenarios(() => startGatewayServer(SLOW_UPSTREAM_OK));

  it('does not cache a hang: the next request tries again', async () => {
    gw = await startGatewayServer({ provider: { settleMs: HANG_TIMEOUT_MS } });
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
});
