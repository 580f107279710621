import type { KeyValueCache } from './key-value-cache.ts';
import type { RedisCache } from './redis-cache.ts';

export interface TieredCacheOptions<V> {
  /** The small, fast first level in this process. */
  l1: KeyValueCache<V>;
  /** The shared second level. */
  l2: RedisCache<V>;
  /** A failed second-level call (Redis down or slow); the call itself acts as a miss or a skipped write. */
  onL2Error?: (error: unknown, operation: 'get' | 'set' | 'delete') => void;
}

/**
 * A memory LRU in front of the shared cache. A hit in the first level costs no round trip; a hit
 * in the second fills the first for only the time the entry has left in Redis, so the shared TTL
 * stays the one that counts. The second level failing never fails a request: a get is a miss
 * (the caller pays or waits as without Redis) and a set is kept in the first level only.
 */
export function createTieredCache<V>({ l1, l2, onL2Error = () => {} }: TieredCacheOptions<V>): KeyValueCache<V> {
  return {
    async get(key) {
      const near = await l1.get(key);
      if (near !== undefined) return near;
      let entry;
      try {
        entry = await l2.getEntry(key);
      } catch (error) {
        onL2Error(error, 'get');
        return undefined;
      }
      if (entry === undefined) return undefined;
      await l1.set(key, entry.value, { ttl: entry.ttlSeconds });
      return entry.value;
    },
    async set(key, value, options) {
      await l1.set(key, value, options);
      try {
        await l2.set(key, value, options);
      } catch (error) {
        onL2Error(error, 'set');
      }
    },
    async delete(key) {
      const [near, far] = await Promise.all([
        l1.delete(key),
        l2.delete(key).catch((error: unknown) => {
          onL2Error(error, 'delete');
          return false;
        }),
      ]);
      return near || far;
    },
  };
}
