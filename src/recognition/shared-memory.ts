import type { GatewayConfig } from '../config.ts';
import { createRedisPersistedQueryStore } from '../ecosystem/redis-persisted-query-store.ts';
import type { ProviderOutcome } from '../outcome.ts';
import type { Coalescer } from './coalesce.ts';
import type { KeyRing } from './key-ring.ts';
import type { KeyValueCache } from './key-value-cache.ts';
import { createLeaseCoalescer, type LeaseCoalescerEvent } from './lease-coalescer.ts';
import { createMemoryCache } from './memory-cache.ts';
import { createRedisCache, type RedisCacheEvent } from './redis-cache.ts';
import { createRedisLink, type RedisLink, type RedisLinkState } from './redis-link.ts';
import type { Flight } from './recognizer.ts';
import { createTieredCache } from './tiered-cache.ts';

/**
 * Everything a metrics module, an audit log or a test may want to count. Transitions of sharing
 * are emitted once each; the others once per occurrence. None carries a key, a name or a value.
 */
export type SharedMemoryEvent =
  | { type: 'sharing'; on: boolean }
  | { type: 'cache-l2-error'; operation: 'get' | 'set' | 'delete' }
  | { type: 'persisted-query-store-error'; operation: 'get' | 'set' | 'delete' }
  | RedisCacheEvent
  | LeaseCoalescerEvent;

export interface SharedMemory {
  /** The memory LRU in front of Redis. */
  cache: KeyValueCache<ProviderOutcome>;
  /** Per-process coalescing, then a lease in Redis. */
  coalescer: Coalescer<Flight>;
  /** Automatic persisted queries, shared by the replicas (plain text: a query is not personal data). */
  persistedQueries: KeyValueCache<string>;
  link: RedisLink;
  /** For `/readyz`. */
  status(): { state: RedisLinkState; sharing: boolean };
  /**
   * The `/readyz` part: unready only when requests cannot be served without Redis (fail-closed,
   * i.e. `CACHE_REQUIRED` with the paid provider); otherwise ready, saying whether sharing is on.
   */
  readiness: { name: 'redis'; check(): Promise<{ ready: boolean; state: RedisLinkState; sharing: boolean }> };
  onEvent(listener: (event: SharedMemoryEvent) => void): () => void;
  close(): Promise<void>;
}

export interface SharedMemoryOptions {
  redis: Pick<GatewayConfig['redis'], 'url' | 'prefix' | 'maxValueBytes' | 'leaseMs' | 'waitMs'> & { keys: KeyRing };
  cache: Pick<GatewayConfig['cache'], 'maxBytes' | 'ttlSeconds'>;
  /** Refuse unshared work while Redis is down (`CACHE_REQUIRED` with the paid provider). */
  failClosed: boolean;
  /** One line per transition of sharing. Default: none. */
  log?: (line: string) => void;
}

/** Redis as the replicas' shared memory: a sealed second cache level, leases for coalescing, persisted queries. */
export function createSharedMemory({ redis, cache, failClosed, log }: SharedMemoryOptions): SharedMemory {
  if (!redis.url) throw new Error('createSharedMemory needs a Redis URL');
  const listeners = new Set<(event: SharedMemoryEvent) => void>();
  const emit = (event: SharedMemoryEvent) => {
    for (const listener of listeners) listener(event);
  };
  const link = createRedisLink({ url: redis.url, prefix: redis.prefix });
  link.onChange((on) => {
    emit({ type: 'sharing', on });
    log?.(
      on
        ? 'ktp-gateway: Redis is reachable: sharing on (cache and coalescing across replicas)'
        : `ktp-gateway: Redis is unreachable: sharing off (this process's cache and coalescing only${failClosed ? '; paid calls refused, CACHE_REQUIRED' : ''}); reconnecting in the background`,
    );
  });

  const l2 = createRedisCache<ProviderOutcome>({
    link,
    keys: redis.keys,
    ttlSeconds: cache.ttlSeconds,
    maxValueBytes: redis.maxValueBytes,
    isValue: isProviderOutcome,
    onEvent: emit,
  });
  const l1 = createMemoryCache<ProviderOutcome>({ maxBytes: cache.maxBytes, ttlSeconds: cache.ttlSeconds });
  const coalescer = createLeaseCoalescer<Flight>({
    link,
    keys: redis.keys,
    leaseMs: redis.leaseMs,
    waitMs: redis.waitMs,
    failClosed,
    onEvent: emit,
  });

  return {
    cache: createTieredCache({ l1, l2, onL2Error: (_error, operation) => emit({ type: 'cache-l2-error', operation }) }),
    coalescer,
    persistedQueries: createRedisPersistedQueryStore({
      link,
      maxQueryBytes: redis.maxValueBytes,
      onError: (_error, operation) => emit({ type: 'persisted-query-store-error', operation }),
    }),
    link,
    status: () => ({ state: link.state, sharing: link.up }),
    readiness: {
      name: 'redis',
      check: async () => ({ ready: link.up || !failClosed, state: link.state, sharing: link.up }),
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => link.close(),
  };
}

/** The shape a cached outcome must have to be served; anything else in Redis is dropped as unparseable. */
export function isProviderOutcome(value: unknown): value is ProviderOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.charged !== 'boolean') return false;
  if (candidate.kind === 'identity') return typeof candidate.fields === 'object' && candidate.fields !== null;
  return candidate.kind === 'error' && typeof candidate.code === 'string' && typeof candidate.message === 'string' && typeof candidate.retryable === 'boolean';
}
