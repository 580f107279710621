import { LRUCache } from 'lru-cache';
import type { ProviderOutcome } from './outcome.ts';

/** Where settled outcomes are kept, keyed by provider and content hash. */
export interface OutcomeCache {
  get(key: string): ProviderOutcome | undefined;
  set(key: string, outcome: ProviderOutcome): void;
}

export interface MemoryOutcomeCacheOptions {
  /** Upper bound on the summed size of kept outcomes, in bytes of their JSON. Default 64 MiB. */
  maxBytes?: number;
  /** How long an outcome is kept, in seconds. Default 86400 (a day). */
  ttlSeconds?: number;
}

/**
 * The process-wide cache: an LRU bounded by bytes rather than entries, because one outcome is a
 * few hundred bytes while a mistaken caller could otherwise pin unbounded memory. A TTL because the
 * answers are personal data: keep them no longer than a retrying client needs them.
 */
export function createMemoryOutcomeCache(options: MemoryOutcomeCacheOptions = {}): OutcomeCache {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (maxBytes === 0) return { get: () => undefined, set: () => {} };
  const lru = new LRUCache<string, ProviderOutcome>({
    maxSize: maxBytes,
    sizeCalculation: (outcome, key) => key.length + JSON.stringify(outcome).length,
    ttl: (options.ttlSeconds ?? 86_400) * 1000,
    // A TTL cache must not hand out expired personal data, even once.
    allowStale: false,
  });
  return {
    get: (key) => lru.get(key),
    set: (key, outcome) => {
      lru.set(key, outcome);
    },
  };
}
