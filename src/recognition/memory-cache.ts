import { LRUCache } from 'lru-cache';
import { estimateBytes } from './estimate-size.ts';
import type { KeyValueCache } from './key-value-cache.ts';

export interface MemoryCacheOptions<V> {
  /** Upper bound on the memory of kept entries, in bytes as `sizeOf` estimates them. Default 64 MiB; 0 keeps nothing. */
  maxBytes?: number;
  /** Time-to-live of an entry set without one, in seconds. Default 86400 (a day). */
  ttlSeconds?: number;
  /** The size of one entry. Default: `estimateBytes` of the key and the value, plus the LRU's own bookkeeping. */
  sizeOf?: (value: V, key: string) => number;
}

/**
 * What lru-cache and its Map spend per entry beside the key and the value: the Map entry, slots in
 * its key, value, size, TTL and linked-list arrays. Measured at about 150 bytes; rounded up.
 */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The in-process cache: an LRU bounded by memory rather than entries, because one outcome is a few
 * hundred bytes while a mistaken caller could otherwise pin unbounded memory. The bound is an
 * estimate of the heap each entry holds (`estimateBytes`), not the length of its JSON, which
 * undercounted it about twofold. Every entry has a TTL because the answers are personal data: keep
 * them no longer than a retrying client needs them.
 */
export function createMemoryCache<V extends {}>(options: MemoryCacheOptions<V> = {}): KeyValueCache<V> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (maxBytes === 0) {
    return { get: async () => undefined, set: async () => {}, delete: async () => false };
  }
  const sizeOf = options.sizeOf ?? estimateEntryBytes;
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

/** The default size of one entry: an estimate of the heap its key, its value and the LRU's bookkeeping hold. */
export function estimateEntryBytes(value: unknown, key: string): number {
  return ENTRY_OVERHEAD_BYTES + estimateBytes(key) + estimateBytes(value);
}
