import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ProviderOutcome } from '../../src/outcome.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import { createRedisCache, type RedisCacheEvent } from '../../src/recognition/redis-cache.ts';
import { createRedisLink, type RedisLink } from '../../src/recognition/redis-link.ts';
import { createTieredCache } from '../../src/recognition/tiered-cache.ts';
import { cleanup, describeRedis, keysUnder, rawClient, REDIS_TEST_URL, uniquePrefix, waitForLink } from '../support/redis.ts';
import type { Redis } from 'ioredis';

const SECRET_NAME = 'HELLO NAME';
const NIK = '3171024302821001';
const outcome: ProviderOutcome = {
  kind: 'identity',
  charged: true,
  fields: { id: NIK, name: SECRET_NAME, pob: 'KENDARI', dob: '03-02-1982' } as never,
};
const cacheKey = (n: number) => `ekycpro:${n.toString(16).padStart(64, '0')}`;

describeRedis('the Redis cache (machine Redis, own prefix)', () => {
  const prefix = uniquePrefix('cache');
  let link: RedisLink;
  let raw: Redis;
  let events: RedisCacheEvent[];
  const key = parseKeyRing(randomBytes(32).toString('hex'));
  const cache = (ring = key, maxValueBytes?: number) =>
    createRedisCache<ProviderOutcome>({ link, keys: ring, maxValueBytes, onEvent: (event) => events.push(event) });

  beforeAll(async () => {
    link = createRedisLink({ url: REDIS_TEST_URL, prefix });
    raw = rawClient();
    await waitForLink(link);
  });
  afterEach(() => {
    events = [];
  });
  afterAll(async () => {
    await cleanup(prefix);
    raw.disconnect();
    await link.close();
  });
  events = [];

  it('round-trips a value, with a fresh object each time', async () => {
    const c = cache();
    await c.set(cacheKey(1), outcome);
    const first = await c.get(cacheKey(1));
    expect(first).toEqual(outcome);
    expect(await c.get(cacheKey(1))).not.toBe(first);
    expect(await c.get(cacheKey(2))).toBeUndefined();
  });

  it('stores nothing readable: no hash, NIK or name in any key or value a second client reads', async () => {
    const c = cache();
    const hashKey = cacheKey(3);
    await c.set(hashKey, outcome);
    const keys = await keysUnder(raw, prefix);
    expect(keys.length).toBeGreaterThan(0);
    for (const stored of keys) {
      expect(stored).not.toContain(hashKey.split(':')[1]!.slice(-16));
      expect(stored).not.toContain('ekycpro');
      const value = (await raw.getBuffer(stored))!;
      for (const secret of [NIK, SECRET_NAME, 'identity', 'KENDARI']) expect(value.toString('latin1')).not.toContain(secret);
    }
  });

  it('lets Redis enforce the TTL (SET PX), and reports the time left', async () => {
    const c = cache();
    await c.set(cacheKey(4), outcome, { ttl: 30 });
    const stored = `${prefix}:cache:${key.name(cacheKey(4))}`;
    const pttl = await raw.pttl(stored);
    expect(pttl).toBeGreaterThan(25_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    const entry = await c.getEntry(cacheKey(4));
    expect(entry!.ttlSeconds).toBeGreaterThan(25);
    expect(entry!.ttlSeconds).toBeLessThanOrEqual(30);

    await c.set(cacheKey(5), outcome, { ttl: 0.05 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await c.get(cacheKey(5))).toBeUndefined();
  });

  it('treats a value that does not decrypt as a miss: deleted and counted, not thrown', async () => {
    const c = cache();
    await c.set(cacheKey(6), outcome);
    const [stored] = await keysUnder(raw, `${prefix}:cache:${key.name(cacheKey(6))}`);
    await raw.set(stored!, randomBytes(80));
    expect(await c.get(cacheKey(6))).toBeUndefined();
    expect(events).toEqual([{ type: 'cache-value-dropped', reason: 'undecryptable' }]);
    await expect.poll(() => raw.exists(stored!)).toBe(0);
  });

  it('treats a value that decrypts but does not parse as a miss: deleted and counted', async () => {
    const c = cache();
    const name = `${prefix}:cache:${key.name(cacheKey(7))}`;
    await raw.set(name, key.seal(Buffer.from('{"kind": not json'), name));
    expect(await c.get(cacheKey(7))).toBeUndefined();
    await raw.set(name, key.seal(Buffer.from('"a string, not an outcome"'), name));
    expect(await c.get(cacheKey(7))).toBeUndefined();
    expect(events.map((e) => e.type === 'cache-value-dropped' && e.reason)).toEqual(['unparseable', 'unparseable']);
    await expect.poll(() => raw.exists(name)).toBe(0);
  });

  it('does not accept a value moved under another name (it is sealed to its own)', async () => {
    const c = cache();
    await c.set(cacheKey(8), outcome);
    const from = `${prefix}:cache:${key.name(cacheKey(8))}`;
    const to = `${prefix}:cache:${key.name(cacheKey(9))}`;
    await raw.set(to, (await raw.getBuffer(from))!);
    expect(await c.get(cacheKey(9))).toBeUndefined();
    expect(events).toEqual([{ type: 'cache-value-dropped', reason: 'undecryptable' }]);
  });

  it('refuses an oversized value before writing anything', async () => {
    const c = cache(key, 100);
    const before = (await keysUnder(raw, prefix)).length;
    await c.set(cacheKey(10), outcome);
    expect(events).toEqual([{ type: 'cache-value-refused', reason: 'oversized', bytes: JSON.stringify(outcome).length, limit: 100 }]);
    expect((await keysUnder(raw, prefix)).length).toBe(before);
    expect(await c.get(cacheKey(10))).toBeUndefined();
  });

  it('after a restart with a wrong key, answers misses, not errors', async () => {
    await cache().set(cacheKey(11), outcome);
    const wrong = cache(parseKeyRing(randomBytes(32).toString('base64')));
    expect(await wrong.get(cacheKey(11))).toBeUndefined();
  });

  it('after a rotation, finds and opens what the old key sealed, and seals it again under the new one', async () => {
    const oldKey = randomBytes(32).toString('hex');
    await cache(parseKeyRing(oldKey)).set(cacheKey(12), outcome, { ttl: 60 });
    const newKey = randomBytes(32).toString('hex');
    const rotated = cache(parseKeyRing(`${newKey},${oldKey}`));
    expect(await rotated.get(cacheKey(12))).toEqual(outcome);
    expect(events).toEqual([{ type: 'cache-value-resealed' }]);
    // Now the new key alone finds it, for no longer than it had left.
    const newOnly = cache(parseKeyRing(newKey));
    const entry = await newOnly.getEntry(cacheKey(12));
    expect(entry?.value).toEqual(outcome);
    expect(entry!.ttlSeconds).toBeLessThanOrEqual(60);
    expect(await cache(parseKeyRing(oldKey)).get(cacheKey(12))).toBeUndefined();
  });

  it('behind a memory first level: fills it from Redis for the time left, and survives Redis errors as misses', async () => {
    const l1 = createMemoryCache<ProviderOutcome>();
    const errors: string[] = [];
    const tiered = createTieredCache({ l1, l2: cache(), onL2Error: (_e, op) => errors.push(op) });
    await cache().set(cacheKey(13), outcome, { ttl: 60 });
    expect(await l1.get(cacheKey(13))).toBeUndefined();
    expect(await tiered.get(cacheKey(13))).toEqual(outcome);
    expect(await l1.get(cacheKey(13))).toEqual(outcome);

    const broken = createRedisLink({ url: 'redis://127.0.0.1:1', prefix });
    try {
      const offline = createTieredCache({ l1, l2: createRedisCache<ProviderOutcome>({ link: broken, keys: key }), onL2Error: (_e, op) => errors.push(op) });
      expect(await offline.get(cacheKey(14))).toBeUndefined();
      await offline.set(cacheKey(14), outcome);
      expect(await offline.get(cacheKey(14))).toEqual(outcome); // from the first level
      expect(errors).toEqual(['get', 'set']);
    } finally {
      await broken.close();
    }
  });

  it('tiered: a miss in both levels is a miss; delete removes from both, says whether either held it, and survives Redis down', async () => {
    const l1 = createMemoryCache<ProviderOutcome>();
    const errors: string[] = [];
    const tiered = createTieredCache({ l1, l2: cache(), onL2Error: (_e, op) => errors.push(op) });
    expect(await tiered.get(cacheKey(15))).toBeUndefined();
    expect(await l1.get(cacheKey(15))).toBeUndefined();

    await tiered.set(cacheKey(16), outcome, { ttl: 60 });
    expect(await tiered.delete(cacheKey(16))).toBe(true);
    expect(await l1.get(cacheKey(16))).toBeUndefined();
    expect(await cache().get(cacheKey(16))).toBeUndefined();
    expect(await tiered.delete(cacheKey(16))).toBe(false);
    // Held only by Redis (another replica wrote it): still reported as deleted.
    await cache().set(cacheKey(17), outcome, { ttl: 60 });
    expect(await tiered.delete(cacheKey(17))).toBe(true);

    const broken = createRedisLink({ url: 'redis://127.0.0.1:1', prefix });
    try {
      const offline = createTieredCache({ l1, l2: createRedisCache<ProviderOutcome>({ link: broken, keys: key }), onL2Error: (_e, op) => errors.push(op) });
      await l1.set(cacheKey(18), outcome);
      expect(await offline.delete(cacheKey(18))).toBe(true);
      expect(await l1.get(cacheKey(18))).toBeUndefined();
      // Held nowhere that answered: not reported as deleted.
      expect(await offline.delete(cacheKey(19))).toBe(false);
      expect(errors).toEqual(['delete', 'delete']);
    } finally {
      await broken.close();
    }
  });
});
