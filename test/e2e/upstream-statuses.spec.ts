import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { type FakeAnswer } from '../support/fake-ekycpro.ts';
import { HANG_TIMEOUT_MS, request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { uploadInit } from '../support/multipart.ts';
import { upstreamStatusScenarios } from './scenarios/upstream-statuses.ts';

/** Every contract answer, the 5xx pages, the bad JSON: shared with the gateway-behind-a-gateway chain. */
upstreamStatusScenarios(
  // The breaker is tested on its own below; here it must not open across tests.
  () => startGatewayServer({ provider: { retries: 2, backoffMs: () => 1, breaker: { threshold: 1_000 } } }),
  { troubleCode: 'UPSTREAM_UNAVAILABLE' },
);

/**
 * What only a gateway talking to the paid API itself shows (an unusable OK, a hang past its own
 * timeout, its circuit breaker), through a GraphQL multipart request to the real server.
 */
let gw: GatewayServer;
/** Same fake, a short timeout: for the hang. */
let hangGw: GatewayServer;
beforeAll(async () => {
  // The breaker is tested on its own below; here it must not open across tests.
  gw = await startGatewayServer({ provider: { retries: 2, backoffMs: () => 1, breaker: { threshold: 1_000 } } });
  hangGw = await startGatewayServer({ fake: gw.fake, provider: { settleMs: HANG_TIMEOUT_MS, breaker: { threshold: 1_000 } } });
});
afterAll(async () => {
  await hangGw.close();
  await gw.close();
});
beforeEach(() => {
  gw.fake.behaviour = () => ({ kind: 'ok' });
  gw.fake.latencyMs = 0;
});

let seed = 1000;
async function recognize(answer: FakeAnswer, server = gw) {
  gw.fake.behaviour = () => answer;
  const bytes = await testJpeg(seed++);
  const response = await request(server.graphqlUrl, uploadInit({ bytes }));
  expect(response.status).toBe(200);
  expect(response.json?.errors).toBeUndefined();
  return { result: response.json!.data!.recognizeKtp, calls: gw.fake.callsFor(contentHash(bytes)), hash: contentHash(bytes) };
}

describe('recognizeKtp over GraphQL multipart: an unusable upstream OK', () => {
  it('OK without a message → OcrError FAIL, charged, not retryable (it is kept: a retry would not pay again)', async () => {
    const { result, calls } = await recognize({ kind: 'status', status: 'OK', omitMessage: true });
    expect(result).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: true, retryable: false });
    expect(calls).toBe(1);
  });
});

describe('recognizeKtp over GraphQL multipart: upstream hang → UPSTREAM_UNAVAILABLE', () => {
  it('a hang past the timeout → OcrError UPSTREAM_UNAVAILABLE once the timeout is reached, never re-sent', async () => {
    // Order, not milliseconds: a timer queued for half the timeout fires before the answer; the
    // fake never answers, so the answer arriving at all means the gateway gave up by itself.
    let halfway = false;
    setTimeout(() => (halfway = true), HANG_TIMEOUT_MS / 2);
    const { result, calls } = await recognize({ kind: 'hang' }, hangGw);
    expect(halfway).toBe(true);
    expect(result).toMatchObject({ __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true });
    expect(result.message).toMatch(new RegExp(`did not answer within ${HANG_TIMEOUT_MS} ms`));
    expect(calls).toBe(1);
  });
});

describe('recognizeKtp over GraphQL multipart: circuit breaker', () => {
  it('opens after the threshold, then answers fast with zero calls, and half-opens after the cooldown', async () => {
    let now = 0;
    const local = await startGatewayServer({
      fake: gw.fake,
      provider: { retries: 0, breaker: { threshold: 3, cooldownMs: 10_000, now: () => now } },
    });
    try {
      const upload = async (seedValue: number) => {
        const bytes = await testJpeg(seedValue);
        const response = await request(local.graphqlUrl, uploadInit({ bytes }));
        return { result: response.json!.data!.recognizeKtp, calls: local.fake.callsFor(contentHash(bytes)) };
      };
      gw.fake.behaviour = () => ({ kind: 'http', status: 502, contentType: 'text/html', body: '<html>down</html>' });
      for (let i = 0; i < 3; i++) expect((await upload(1100 + i)).calls).toBe(1);

      // A hanging upstream: an open circuit answers without waiting on it.
      gw.fake.behaviour = () => ({ kind: 'hang' });
      const open = await upload(1110);
      expect(open.result).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true });
      expect(open.result.message).toContain('circuit open');
      expect(open.calls).toBe(0);
      gw.fake.behaviour = () => ({ kind: 'ok' });

      now += 10_000;
      const trial = await upload(1111);
      expect(trial.result.__typename).toBe('KtpIdentity');
      expect(trial.calls).toBe(1);
    } finally {
      await local.close();
    }
  });
});

describe('recognizeKtp over GraphQL multipart: the circuit breaker is fair', () => {
  it("one client's image that makes the upstream time out, sent again and again, does not open it for another client", async () => {
    const local = await startGatewayServer({
      fake: gw.fake,
      provider: { retries: 0, settleMs: HANG_TIMEOUT_MS, breaker: { threshold: 2, cooldownMs: 60_000 } },
    });
    try {
      const poison = await testJpeg(1200);
      const poisonHash = contentHash(poison);
      gw.fake.behaviour = (call) => (call.imageHash === poisonHash ? { kind: 'hang' } : { kind: 'ok' });
      for (let i = 0; i < 4; i++) {
        const response = await request(local.graphqlUrl, uploadInit({ bytes: poison }));
        expect(response.json?.data?.recognizeKtp).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      }
      expect(gw.fake.callsFor(poisonHash)).toBe(4);
      const other = await testJpeg(1201);
      const response = await request(local.graphqlUrl, uploadInit({ bytes: other }));
      expect(response.json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
      expect(gw.fake.callsFor(contentHash(other))).toBe(1);
    } finally {
      await local.close();
    }
  });
});
