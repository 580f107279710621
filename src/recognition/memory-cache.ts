import { LRUCache } from 'lru-cache';
import type { KeyValueCache } from './key-value-cache.ts';

export interface MemoryCacheOptions<V> {
  /** Upper bound on the summed size of kept values, in bytes as `sizeOf` counts them. Default 64 MiB; 0 keeps nothing. */
  maxBytes?: number;
  /** Time-to-live of an entry set without one, in seconds. Default 86400 (a day). */
  ttlSeconds?: number;
  /** The size of one entry. Default: the length of the key and of the value's JSON. */
  sizeOf?: (value: V, key: string) => number;
}

/**
 * The in-process cache: an LRU bounded by size rather than entries, because one outcome is a few
 * hundred bytes while a mistaken caller could otherwise pin unbounded memory. Every entry has a
 * TTL because the answers are personal data: keep them no longer than a retrying client needs them.
 */
export function createMemoryCache<V extends {}>(options: MemoryCacheOptions<V> = {}): KeyValueCache<V> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (maxBytes === 0) {
    return { get: async () => undefined, set: async () => {}, delete: async () => false };
  }
  const sizeOf = options.sizeOf ?? ((value: V, key: string) => key.length + JSON.stringify(value).length);
  const lru = new LRUCache<string, V>({
    maxSize: maxBytes,
    sizeCalculation: (value, key) => Math.max(1, sizeOf(value, key)),
    ttl: (options.ttlSeconds ?? 86_400) * 1000,
    // A TTL cache must not hand out expired personal data, even once.
    allowStale: false,
  });
  return {
    get: async (key) => lru.get(key),
    set: async (key, value, setOptions) => {
      lru.set(key, value, setOptions?.ttl === undefined ? undefined : { ttl: setOptions.ttl * 1000 });
    },
    delete: async (key) => lru.delete(key),
  };
}
