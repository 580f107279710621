import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.ts';
import type { KeyValueCache } from '../recognition/key-value-cache.ts';
import { useGraphiqlCaching } from './graphiql.ts';
import { useHardening } from './use-hardening.ts';
import { usePersistedQueries, usePersistedQueriesNotSupported } from './use-persisted-queries.ts';

export interface EcosystemPluginsOptions {
  config: GatewayConfig['ecosystem'];
  /** The persisted-query store, shared by every endpoint of one gateway. */
  persistedQueries: KeyValueCache<string>;
}

/**
 * The Yoga plugins that make the gateway fit the GraphQL ecosystem as it is used (Apollo
 * Client's persisted-query link, `@defer`/`@stream` through Apollo Client or a federation
 * gateway) and hardened as production wants it. One list, used by every GraphQL endpoint.
 */
export function ecosystemPlugins({ config, persistedQueries }: EcosystemPluginsOptions): Plugin[] {
  return [
    config.persistedQueries ? usePersistedQueries({ store: persistedQueries }) : usePersistedQueriesNotSupported(),
    useDeferStream() as Plugin,
    useHardening({ introspection: config.introspection, fieldSuggestions: config.fieldSuggestions }),
    // Only GraphiQL's page is HTML on a GraphQL endpoint; it is sent compressed and with an ETag.
    useGraphiqlCaching(),
  ];
}
