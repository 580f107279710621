import { useAPQ } from '@graphql-yoga/plugin-apq';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { KeyValueCache } from '../recognition/key-value-cache.ts';
import { createMemoryCache } from '../recognition/memory-cache.ts';

export interface PersistedQueriesOptions {
  /**
   * Where registered queries are kept, by their SHA-256. Default: `createPersistedQueryStore()`.
   * A shared store (Redis) lets a query registered on one instance be found on the others
   * behind a load balancer.
   */
  store?: KeyValueCache<string>;
  /** How long a registered query is kept, in seconds. Default 86400 (a day). */
  ttlSeconds?: number;
}

/** The default store: in process, bounded to 4 MiB of query text, since anyone may register a query. */
export function createPersistedQueryStore(): KeyValueCache<string> {
  return createMemoryCache<string>({ maxBytes: 4 * 1024 * 1024 });
}

/** Keys of this plugin in a store it may share with other users. */
const KEY_PREFIX = 'apq:';

/**
 * Automatic persisted queries, the protocol of Apollo Client's `PersistedQueryLink`: a client
 * sends only `extensions.persistedQuery.sha256Hash`; an unknown hash is answered
 * `PersistedQueryNotFound` (HTTP 404, `extensions.code: PERSISTED_QUERY_NOT_FOUND`) and the
 * client sends the query once with its hash, which is checked (`PersistedQueryMismatch`, 400)
 * before the query is kept. Anyone may register a query, so the default store is bounded by size.
 */
export function usePersistedQueries(options: PersistedQueriesOptions = {}): Plugin {
  const ttl = options.ttlSeconds ?? 86_400;
  const store = options.store ?? createPersistedQueryStore();
  return useAPQ({
    store: {
      get: (hash) => store.get(KEY_PREFIX + hash),
      set: (hash, query) => store.set(KEY_PREFIX + hash, query, { ttl }),
    },
  });
}

/**
 * With persisted queries switched off, a hash-only request is answered `PersistedQueryNotSupported`
 * (the code Apollo's link knows), so the client stops hashing and sends its queries in full,
 * instead of failing every operation with "Must provide query string.".
 */
export function usePersistedQueriesNotSupported(): Plugin {
  return {
    onParams({ params }) {
      const extension = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      if (params.query == null && typeof extension?.sha256Hash === 'string') {
        throw createGraphQLError('PersistedQueryNotSupported', {
          extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED', http: { status: 400 } },
        });
      }
    },
  };
}
