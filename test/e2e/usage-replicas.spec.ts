import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { request } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { cleanup, describeRedis, REDIS_TEST_URL, startOwnRedis, uniquePrefix, waitForLink } from '../support/redis.ts';
import { startReplica, type Replica } from '../support/shared-gateway.ts';

/** `Query.ktpUsage` on a fleet: two real replicas over one real Redis answer the same sums, per client. */
const KEYS = { app: 'fleet-app-key', kiosk: 'fleet-kiosk-key', ops: 'fleet-ops-key' };
const USAGE = '{ ktpUsage { client since recognitions paidCalls cacheHits coalesced paidCallsAvoided limited } }';

describeRedis('ktpUsage across replicas', () => {
  const prefix = uniquePrefix('usage-fleet');
  const ring = parseKeyRing(randomBytes(32).toString('hex'));
  let fake: FakeEkycpro;
  let a: Replica;
  let b: Replica;
  let keyFile: string;

  beforeAll(async () => {
    fake = await startFakeEkycpro();
    keyFile = writeKeyFile([
      { id: 'app', key: KEYS.app },
      { id: 'kiosk', key: KEYS.kiosk, paidCallsPerDay: 0 },
      { id: 'ops', key: KEYS.ops, admin: true },
    ]);
    const env = { API_KEYS_FILE: keyFile };
    const start = () => startReplica({ url: REDIS_TEST_URL, prefix, keys: ring, fake, env, countUsage: true });
    [a, b] = await Promise.all([start(), start()]);
    await Promise.all([waitForLink(a.shared.link), waitForLink(b.shared.link)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await fake.close();
    await cleanup(prefix);
  });

  const recognize = async (replica: Replica, key: string, bytes: Uint8Array) => {
    const response = await request(replica.graphqlUrl, uploadInit({ bytes }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${key}` } }));
    expect(response.json?.errors).toBeUndefined();
    return response.json!.data!.recognizeKtp as { __typename: string; cached: boolean; code?: string };
  };
  const usage = async (replica: Replica, key: string) => {
    const response = await request(replica.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: USAGE }) });
    expect(response.json?.errors).toBeUndefined();
    return response.json!.data!.ktpUsage as Record<string, unknown>[];
  };

  it('sums what each replica answered, whichever replica is asked: per client for a client, every client for an admin', async () => {
    const [one, two, three] = await Promise.all([testJpeg(901), testJpeg(902), testJpeg(903)]);
    expect(await recognize(a, KEYS.app, one!)).toMatchObject({ __typename: 'KtpIdentity', cached: false }); // paid, on A
    expect(await recognize(b, KEYS.app, one!)).toMatchObject({ __typename: 'KtpIdentity', cached: true }); // a hit, on B, from A's payment
    expect(await recognize(b, KEYS.app, two!)).toMatchObject({ __typename: 'KtpIdentity', cached: false }); // paid, on B
    expect(await recognize(a, KEYS.kiosk, three!)).toMatchObject({ __typename: 'OcrError', code: 'QUOTA_EXCEEDED' }); // limited, on A
    expect(await recognize(b, KEYS.kiosk, three!)).toMatchObject({ __typename: 'OcrError', code: 'QUOTA_EXCEEDED' }); // limited, on B
    const today = new Date().toISOString().slice(0, 10);
    const app = { client: 'app', since: today, recognitions: 3, paidCalls: 2, cacheHits: 1, coalesced: 0, paidCallsAvoided: 1, limited: 0 };
    const kiosk = { client: 'kiosk', since: today, recognitions: 2, paidCalls: 0, cacheHits: 0, coalesced: 0, paidCallsAvoided: 0, limited: 2 };

    // Counting is fire-and-forget, sent before each answer; the poll only waits for Redis to have applied it.
    await expect.poll(() => usage(a, KEYS.app)).toEqual([app]);
    expect(await usage(b, KEYS.app)).toEqual([app]);
    expect(await usage(a, KEYS.kiosk)).toEqual([kiosk]);
    expect(await usage(b, KEYS.kiosk)).toEqual([kiosk]);
    expect(await usage(a, KEYS.ops)).toEqual([app, kiosk]);
    expect(await usage(b, KEYS.ops)).toEqual([app, kiosk]);
    expect(fake.calls).toHaveLength(2);
  });

  it('while Redis is down: recognitions are still answered, ktpUsage answers a typed, retryable error, and counting resumes when it is back', async () => {
    const own = await startOwnRedis();
    const replica = await startReplica({ url: own.url, prefix, keys: ring, fake, env: { API_KEYS_FILE: keyFile }, countUsage: true });
    try {
      await waitForLink(replica.shared.link);
      await own.stop();
      await waitForLink(replica.shared.link, false);
      expect(await recognize(replica, KEYS.app, await testJpeg(904))).toMatchObject({ __typename: 'KtpIdentity' });
      const down = await request(replica.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.app}` }, body: JSON.stringify({ query: USAGE }) });
      expect(down.status).toBe(200);
      expect(down.json?.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('Usage cannot be read right now'), extensions: expect.objectContaining({ code: 'USAGE_UNAVAILABLE', retryable: true }) })]);
      expect(replica.logs).toContainEqual(expect.stringContaining('usage counting in Redis failed'));

      await own.start();
      await waitForLink(replica.shared.link);
      expect(await recognize(replica, KEYS.app, await testJpeg(905))).toMatchObject({ __typename: 'KtpIdentity' });
      // The restarted server starts empty: only the recognition made since it came back.
      await expect.poll(() => usage(replica, KEYS.app)).toMatchObject([{ client: 'app', recognitions: 1, paidCalls: 1 }]);
    } finally {
      await replica.close();
      await own.stop();
    }
  });
});
