import type { KeyRing } from './key-ring.ts';
import type { KeyValueCache, KeyValueCacheSetOptions } from './key-value-cache.ts';
import type { RedisLink } from './redis-link.ts';

/** What the Redis cache reports, for logs and metrics; never a key, a name or a value. */
export type RedisCacheEvent =
  | { type: 'cache-value-dropped'; reason: 'undecryptable' | 'unparseable' }
  | { type: 'cache-value-refused'; reason: 'oversized'; bytes: number; limit: number }
  | { type: 'cache-value-resealed' };

export interface RedisCacheOptions<V> {
  link: Pick<RedisLink, 'client' | 'prefix'>;
  keys: KeyRing;
  /** Time-to-live of an entry set without one, in seconds. Default 86400. */
  ttlSeconds?: number;
  /**
   * Largest value written, in bytes of JSON before sealing. Default 65536: an outcome is a few
   * hundred bytes, so anything near this is a bug, and Redis is shared memory nobody should fill.
   */
  maxValueBytes?: number;
  /** Whether a parsed value has the expected shape. Default: any JSON object. */
  isValue?: (value: unknown) => value is V;
  onEvent?: (event: RedisCacheEvent) => void;
}

export interface RedisCache<V> extends KeyValueCache<V> {
  /** The value and the seconds it has left, so a first level in front does not keep it longer. */
  getEntry(key: string): Promise<{ value: V; ttlSeconds: number } | undefined>;
}

/**
 * The shared second level: values sealed with AES-256-GCM (bound to the name they are stored
 * under), names that are HMACs of the key, and the TTL kept by Redis itself (`SET ... PX`).
 * A value that does not open or parse is a miss: it is deleted and reported, never thrown.
 * Redis errors (down, timed out) are thrown; the tiered cache turns them into misses.
 */
export function createRedisCache<V extends object>(options: RedisCacheOptions<V>): RedisCache<V> {
  const { link, keys } = options;
  const defaultTtlMs = (options.ttlSeconds ?? 86_400) * 1000;
  const maxValueBytes = options.maxValueBytes ?? 65_536;
  const isValue = options.isValue ?? ((value: unknown): value is V => typeof value === 'object' && value !== null && !Array.isArray(value));
  const emit = options.onEvent ?? (() => {});
  const storageKeys = (key: string) => keys.names(key).map((name) => `${link.prefix}:cache:${name}`);

  async function getEntry(key: string): Promise<{ value: V; ttlSeconds: number } | undefined> {
    const names = storageKeys(key);
    const pipeline = link.client.pipeline();
    for (const name of names) pipeline.getBuffer(name).pttl(name);
    const replies = (await pipeline.exec()) ?? [];
    for (let i = 0; i < names.length; i++) {
      const [getError, sealed] = replies[2 * i] ?? [];
      const [, pttl] = replies[2 * i + 1] ?? [];
      if (getError) throw getError;
      if (!(sealed instanceof Buffer)) continue;
      const name = names[i]!;
      const value = openValue(sealed, name);
      if (value === undefined) continue;
      const ttlMs = typeof pttl === 'number' && pttl > 0 ? pttl : defaultTtlMs;
      if (i > 0) {
        // Found under an older key of the ring: sealed again under the newest, for what it has left.
        await link.client.multi().set(names[0]!, keys.seal(Buffer.from(JSON.stringify(value)), names[0]!), 'PX', ttlMs).del(name).exec();
        emit({ type: 'cache-value-resealed' });
      }
      return { value, ttlSeconds: ttlMs / 1000 };
    }
    return undefined;
  }

  function openValue(sealed: Buffer, name: string): V | undefined {
    const plain = keys.open(sealed, name);
    if (plain === null) {
      drop(name, 'undecryptable');
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(plain.toString('utf8'));
    } catch {
      value = undefined;
    }
    if (!isValue(value)) {
      drop(name, 'unparseable');
      return undefined;
    }
    return value;
  }

  function drop(name: string, reason: 'undecryptable' | 'unparseable') {
    emit({ type: 'cache-value-dropped', reason });
    // Best effort: a value nobody can read is only clutter, and the next set replaces it anyway.
    link.client.del(name).catch(() => {});
  }

  return {
    getEntry,
    async get(key) {
      return (await getEntry(key))?.value;
    },
    async set(key, value, setOptions?: KeyValueCacheSetOptions) {
      const json = Buffer.from(JSON.stringify(value));
      if (json.byteLength > maxValueBytes) {
        emit({ type: 'cache-value-refused', reason: 'oversized', bytes: json.byteLength, limit: maxValueBytes });
        return;
      }
      const name = storageKeys(key)[0]!;
      const ttlMs = setOptions?.ttl === undefined ? defaultTtlMs : Math.max(1, Math.round(setOptions.ttl * 1000));
      await link.client.set(name, keys.seal(json, name), 'PX', ttlMs);
    },
    async delete(key) {
      return (await link.client.del(...storageKeys(key))) > 0;
    },
  };
}
