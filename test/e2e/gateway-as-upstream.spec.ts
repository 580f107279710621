import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { RECOGNIZE_KTP_OPERATION } from '../../src/schema/operations.ts';
import { HANG_TIMEOUT_MS, request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { badImageScenarios } from './scenarios/bad-images.ts';
import { paidOnceScenarios } from './scenarios/paid-once.ts';
import { recognizeKtp, type E2eTarget } from './scenarios/target.ts';
import { upstreamStatusScenarios } from './scenarios/upstream-statuses.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

/**
 * Proof by our own client: gateway B's ekycpro provider pointed at gateway A's
 * `POST /v1/id_ocr/general`, A's ekycpro provider pointed at the fake paid API. The client talks to
 * B's GraphQL; the calls are counted at the fake. A requires a client key (REST_API_KEYS) and B
 * sends it as its EKYCPRO_API_KEY, exactly as an operator would chain two gateways.
 *
 * The scenarios are those of the direct e2e files, shared through `./scenarios/`. In the chain only
 * A retries an INNER_ERROR (B has retries 0), so the call counts are the direct ones; what differs
 * is that upstream trouble reaches B as A's contract answer for it, INNER_ERROR.
 */
const CHAIN_KEY = 'chain-client-key-b2a-91d4';
/** The breaker is not under test here: it must not open across tests that script failures. */
const NO_BREAKER = { threshold: 1_000 };

interface Chain extends E2eTarget {
  a: GatewayServer;
  b: GatewayServer;
}

async function startChain(options: { aSettleMs?: number; bApiKey?: string } = {}): Promise<Chain> {
  const a = await startGatewayServer({
    env: { REST_API_KEYS: CHAIN_KEY },
    provider: { timeoutMs: 5_000, ...(options.aSettleMs === undefined ? {} : { settleMs: options.aSettleMs }), breaker: NO_BREAKER },
  });
  const aUrl = `${a.origin}${CONTRACT_ROUTE}`;
  const bApiKey = options.bApiKey ?? CHAIN_KEY;
  const b = await startGatewayServer({
    fake: a.fake, // B does not talk to the fake; sharing it only lets B's server leave it to A to close
    env: { EKYCPRO_URL: aUrl, EKYCPRO_API_KEY: bApiKey },
    provider: { url: aUrl, apiKey: bApiKey, timeoutMs: 10_000, retries: 0, breaker: NO_BREAKER },
  });
  return {
    a,
    b,
    graphqlUrl: b.graphqlUrl,
    fake: a.fake,
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

describe('through a gateway whose upstream is another gateway', () => {
  upstreamStatusScenarios(startChain, { troubleCode: 'INNER_ERROR' });
  paidOnceScenarios(startChain);
  badImageScenarios(startChain);
});

describe('what only the chain shows', () => {
  let chain: Chain;
  let seed = 9000;
  beforeAll(async () => {
    chain = await startChain();
  });
  afterAll(async () => {
    await chain.close();
  });

  async function fullSelection(server: GatewayServer, bytes: Uint8Array) {
    // A's clients hold keys (REST_API_KEYS open GraphQL too); under CACHE_SCOPE=client the key B
    // uses is the one whose cache holds what B paid for.
    const headers = server === chain.a ? { ...CSRF_HEADERS, 'x-api-key': CHAIN_KEY } : CSRF_HEADERS;
    const response = await request(server.graphqlUrl, uploadInit({ bytes }, { query: RECOGNIZE_KTP_OPERATION, headers }));
    expect(response.json?.errors).toBeUndefined();
    return response.json!.data!.recognizeKtp as Record<string, unknown>;
  }

  it('B prints the same KtpIdentity as A, every field of the full selection (cached aside), for one upstream call', async () => {
    chain.fake.behaviour = () => ({ kind: 'ok' });
    const bytes = await testJpeg(seed++);
    const throughB = await fullSelection(chain.b, bytes);
    const fromA = await fullSelection(chain.a, bytes); // cached at A by B's request
    expect(throughB).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(fromA).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect({ ...throughB, cached: undefined }).toStrictEqual({ ...fromA, cached: undefined });
    expect(Object.keys(throughB)).toEqual(Object.keys(fromA));
    expect(chain.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('an image A has already been paid for (by its own REST client) costs B zero calls', async () => {
    chain.fake.behaviour = () => ({ kind: 'ok' });
    const bytes = await testJpeg(seed++);
    const rest = await request(`${chain.a.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': CHAIN_KEY },
      body: new URLSearchParams({ img: Buffer.from(bytes).toString('base64') }).toString(),
    });
    expect(JSON.parse(rest.text).status).toBe('OK');
    expect(await recognizeKtp(chain, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(chain.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('an unusable OK at the far end (charged) reaches B as a charged FAIL, cached, paid once', async () => {
    chain.fake.behaviour = () => ({ kind: 'status', status: 'OK', omitMessage: true });
    const bytes = await testJpeg(seed++);
    expect(await recognizeKtp(chain, bytes)).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: true, cached: false });
    expect(await recognizeKtp(chain, bytes)).toMatchObject({ code: 'FAIL', cached: true });
    expect(chain.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('B never shows its own upstream key (A’s client key) to its clients', async () => {
    const answers = [
      () => ({ kind: 'ok' }) as const,
      () => ({ kind: 'status', status: 'FAIL' }) as const,
      () => ({ kind: 'http', status: 502, contentType: 'text/html', body: '<html>down</html>' }) as const,
    ];
    for (const behaviour of answers) {
      chain.fake.behaviour = behaviour;
      const response = await request(chain.b.graphqlUrl, uploadInit({ bytes: await testJpeg(seed++) }, { query: RECOGNIZE_KTP_OPERATION }));
      expect(response.text).not.toContain(CHAIN_KEY);
      expect(JSON.stringify([...response.headers])).not.toContain(CHAIN_KEY);
    }
  });

  it('B with a key A does not know gets INVALID_REQUEST, free, and the paid API is never called', async () => {
    const wrong = await startChain({ bApiKey: 'not-a-key-a-knows' });
    try {
      const bytes = await testJpeg(seed++);
      expect(await recognizeKtp(wrong, bytes)).toMatchObject({ __typename: 'OcrError', code: 'INVALID_REQUEST', charged: false, retryable: false });
      expect(wrong.fake.calls).toHaveLength(0);
    } finally {
      await wrong.close();
    }
  });

  it('a hang at the far end reaches B as INNER_ERROR (A’s settle limit), retryable, sent once', async () => {
    const hanging = await startChain({ aSettleMs: HANG_TIMEOUT_MS });
    try {
      hanging.fake.behaviour = () => ({ kind: 'hang' });
      const bytes = await testJpeg(seed++);
      expect(await recognizeKtp(hanging, bytes)).toMatchObject({ __typename: 'OcrError', code: 'INNER_ERROR', charged: false, retryable: true });
      expect(hanging.fake.callsFor(contentHash(bytes))).toBe(1);
    } finally {
      await hanging.close();
    }
  });
});
