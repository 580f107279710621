import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { SAMPLE_IDENTITY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { testJpeg } from '../support/images.ts';
import { cleanup, describeRedis, keysUnder, rawClient, REDIS_TEST_URL, uniquePrefix, waitForLink } from '../support/redis.ts';
import { startReplica, type Replica } from '../support/shared-gateway.ts';
import { recognizeKtp } from './scenarios/target.ts';

/** Two gateway replicas over real HTTP, one Redis, one paid fake behind them: one memory. */
describeRedis('replicas sharing one Redis', () => {
  const prefix = uniquePrefix('replicas');
  const keys = parseKeyRing(randomBytes(32).toString('hex'));
  let fake: FakeEkycpro;
  let replicas: Replica[] = [];

  const start = async () => {
    const replica = await startReplica({ url: REDIS_TEST_URL, prefix, keys, fake });
    await waitForLink(replica.shared.link);
    replicas.push(replica);
    return replica;
  };

  beforeAll(async () => {
    fake = await startFakeEkycpro();
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
    fake.latencyMs = 0;
  });
  afterAll(async () => {
    await fake.close();
    await cleanup(prefix);
  });

  it('pays once for 50 concurrent identical uploads split across two replicas, and not again after both restart', async () => {
    fake.latencyMs = 200;
    const [a, b] = [await start(), await start()];
    const bytes = await testJpeg(8001);
    const hash = contentHash(bytes);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => recognizeKtp(i % 2 ? a : b, bytes)));
    expect(fake.callsFor(hash)).toBe(1);
    expect(answers.every((x) => x.__typename === 'KtpIdentity' && x.nik === SAMPLE_IDENTITY.id)).toBe(true);
    expect(answers.filter((x) => !x.cached)).toHaveLength(1);

    // A rolling restart: both replicas go, two new ones (empty memory) come.
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
    const [c, d] = [await start(), await start()];
    expect(await recognizeKtp(c, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(await recognizeKtp(d, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(fake.callsFor(hash)).toBe(1);
  });

  it('pays once per distinct image, whichever replica each goes to', async () => {
    const [a, b] = [await start(), await start()];
    const images = await Promise.all(Array.from({ length: 12 }, (_, i) => testJpeg(8100 + i)));
    await Promise.all(images.flatMap((bytes, i) => [recognizeKtp(i % 2 ? a : b, bytes), recognizeKtp(i % 2 ? b : a, bytes)]));
    expect(images.map((bytes) => fake.callsFor(contentHash(bytes)))).toEqual(images.map(() => 1));
  });

  it('leaves nothing readable in Redis: no hash, NIK, name or image bytes in any key or value', async () => {
    const a = await start();
    const bytes = await testJpeg(8200);
    await recognizeKtp(a, bytes);
    const raw = rawClient();
    try {
      const stored = await keysUnder(raw, prefix);
      expect(stored.length).toBeGreaterThan(0);
      const dump = (await Promise.all(stored.map(async (key) => `${key} ${(await raw.dumpBuffer(key))?.toString('latin1') ?? ''}`))).join('\n');
      for (const secret of [contentHash(bytes), contentHash(bytes).slice(0, 12), SAMPLE_IDENTITY.id, SAMPLE_IDENTITY.name, SAMPLE_IDENTITY.address, 'KtpIdentity', 'identity']) {
        expect(dump).not.toContain(secret);
      }
    } finally {
      raw.disconnect();
    }
  });
});
