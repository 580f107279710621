import type { KeyValueCache } from '../recognition/key-value-cache.ts';
import type { RedisCache } from '../recognition/redis-cache.ts';
import type { RedisLink } from '../recognition/redis-link.ts';
import { createTieredCache } from '../recognition/tiered-cache.ts';
import { createPersistedQueryStore } from './use-persisted-queries.ts';

export interface RedisPersistedQueryStoreOptions {
  link: Pick<RedisLink, 'client' | 'prefix'>;
  /**
   * Longest query text written to Redis, in bytes. Default 65536 (the default `MAX_JSON_BODY_BYTES`:
   * no request can carry a longer one). A longer one is kept in this process only.
   */
  maxQueryBytes?: number;
  /** A failed Redis call; the lookup is then a miss (the client sends its query) and a write is local. */
  onError?: (error: unknown, operation: 'get' | 'set' | 'delete') => void;
}

/**
 * The persisted-query store with `REDIS_URL`: a query registered through one replica is found
 * through every other, so Apollo's `PersistedQueryLink` goes through the not-found round trip once
 * per fleet rather than once per replica. A query is the text of an operation, not personal data
 * (variables and files never enter the store), so it is stored in the clear under `<prefix>:`,
 * unlike the sealed outcomes. The in-process store stands in front, and Redis being down only
 * costs the round trip again.
 */
export function createRedisPersistedQueryStore(options: RedisPersistedQueryStoreOptions): KeyValueCache<string> {
  return createTieredCache<string>({
    // The store used without Redis, as the memory level in front.
    l1: createPersistedQueryStore(),
    l2: createRedisTextStore(options.link, options.maxQueryBytes ?? 65_536),
    onL2Error: options.onError,
  });
}

/** Plain text values in Redis with Redis's own TTL (`SET ... PX`), under the link's prefix. */
function createRedisTextStore(link: Pick<RedisLink, 'client' | 'prefix'>, maxBytes: number): RedisCache<string> {
  const name = (key: string) => `${link.prefix}:${key}`;
  const getEntry = async (key: string) => {
    const [[getError, value] = [], [, pttl] = []] = (await link.client.pipeline().get(name(key)).pttl(name(key)).exec()) ?? [];
    if (getError) throw getError;
    if (typeof value !== 'string') return undefined;
    // A key without an expiry (-1) was not written here; keep it in memory for a minute at most.
    return { value, ttlSeconds: typeof pttl === 'number' && pttl > 0 ? pttl / 1000 : 60 };
  };
  return {
    getEntry,
    get: async (key) => (await getEntry(key))?.value,
    async set(key, value, setOptions) {
      if (Buffer.byteLength(value) > maxBytes) return;
      await link.client.set(name(key), value, 'PX', Math.max(1, Math.round((setOptions?.ttl ?? 86_400) * 1000)));
    },
    delete: async (key) => (await link.client.del(name(key))) > 0,
  };
}
