import { createServerAdapter, type ServerAdapter } from '@whatwg-node/server';
import { createFetch } from '@whatwg-node/fetch';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaInitialContext, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import type { GatewayConfig } from './config.ts';
import { graphiqlOptions } from './ecosystem/graphiql.ts';
import { ecosystemPlugins } from './ecosystem/plugins.ts';
import { createPersistedQueryStore } from './ecosystem/use-persisted-queries.ts';
import { readLimitedBody, TOO_LARGE } from './http/limit-body.ts';
import { useMaxFieldOccurrences } from './http/use-max-field-occurrences.ts';
import type { KtpProvider } from './providers/provider.ts';
import type { ProviderOutcome } from './outcome.ts';
import type { KeyValueCache } from './recognition/key-value-cache.ts';
import { createMemoryCache } from './recognition/memory-cache.ts';
import { createRecognizer, type Recognizer } from './recognition/recognizer.ts';
import { CONTRACT_PATH } from './contract.ts';
import { createContractEndpoint } from './rest/contract-endpoint.ts';
import { createGraphQLContext, type GraphQLContext } from './schema/context.ts';
import { clientSchema, subgraphSchema } from './schema/index.ts';
import { createAnsweredReferences, type RecognitionReferences } from './schema/recognition-references.ts';

export interface GatewayOptions {
  config: Pick<GatewayConfig, 'cache' | 'maxRequestBytes' | 'maxRecognitionsPerOperation' | 'graphiql' | 'restApiKeys' | 'ecosystem'> & {
    /** The key the gateway itself sends upstream: never accepted from a client, even if listed in `restApiKeys`. */
    ekycpro?: Pick<GatewayConfig['ekycpro'], 'apiKey'>;
  };
  provider: KtpProvider;
  /** Defaults to the process-wide LRU from `config.cache`. */
  cache?: KeyValueCache<ProviderOutcome>;
  /** Automatic persisted queries' store. Default: in process (see `usePersistedQueries`). */
  persistedQueries?: KeyValueCache<string>;
  /** Who may read a recognition back by content hash on the subgraph path. Default: only what it was answered. */
  references?: RecognitionReferences;
  /**
   * Names the caller of a subgraph-path request for `references`. Default: one name for every
   * caller, the gateway in front; client identity, once it exists, names each client here.
   */
  callerOf?: (request: Request) => string;
}

export interface Gateway {
  /** Fetch-API handler for every route; also a Node `(req, res)` listener. */
  handler: ServerAdapter<Record<string, never>, { handle(request: Request): Promise<Response> }>;
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  /** The federation subgraph on `config.ecosystem.subgraphPath`, when it is served. */
  subgraphYoga: YogaServerInstance<Record<string, never>, GraphQLContext> | undefined;
  recognizer: Recognizer;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

/**
 * Builds the whole gateway from injected parts: the provider (a paid API URL, a fake one in tests,
 * or the local engine) and the cache. `server.ts` adds only the socket and the signals.
 */
export function createGateway({ config, provider, cache, persistedQueries, references, callerOf }: GatewayOptions): Gateway {
  const recognizer = createRecognizer({
    provider,
    cache: cache ?? createMemoryCache<ProviderOutcome>({ maxBytes: config.cache.maxBytes }),
    ttlSeconds: config.cache.ttlSeconds,
  });
  // One store for both GraphQL endpoints.
  const persistedQueryStore = persistedQueries ?? createPersistedQueryStore();

  const graphqlOptions = {
    schema: clientSchema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }: YogaInitialContext) => createGraphQLContext(recognizer, request.signal),
    graphiql: config.graphiql ? (request: Request) => graphiqlOptions(request, GRAPHQL_PATH) : false,
    // Bundled assets: GraphiQL loads with no request to any other host.
    renderGraphiQL,
    landingPage: false,
    // One file per request: the multipart parser refuses a second one instead of buffering it.
    fetchAPI: createFetch({ formDataLimits: { files: 1, fileSize: config.maxRequestBytes } }),
    plugins: [
      // Apollo Client's upload link users are told to send `Apollo-Require-Preflight`; accept both.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] }),
      useMaxFieldOccurrences({ fieldName: 'recognizeKtp', max: config.maxRecognitionsPerOperation }),
      // The GraphQL ecosystem: persisted queries, @defer/@stream, production hardening.
      ...ecosystemPlugins({ config: config.ecosystem, persistedQueries: persistedQueryStore }),
    ],
    // No request logging: variables and errors may carry personal data.
    logging: 'warn',
  } satisfies YogaServerOptions<Record<string, never>, GraphQLContext>;
  const yoga = createYoga<Record<string, never>, GraphQLContext>(graphqlOptions);

  // The federation subgraph, for a gateway: the same server and plugins, the schema with
  // `_service` and `_entities`, and the record of who may read a recognition back by its hash.
  const subgraphPath = config.ecosystem.subgraphPath;
  const entityReferences = references ?? createAnsweredReferences({ ttlSeconds: config.cache.ttlSeconds });
  const subgraphYoga =
    subgraphPath === undefined
      ? undefined
      : createYoga<Record<string, never>, GraphQLContext>({
          ...graphqlOptions,
          schema: subgraphSchema,
          graphqlEndpoint: subgraphPath,
          graphiql: false,
          context: ({ request }) =>
            createGraphQLContext(recognizer, request.signal, { access: entityReferences, caller: callerOf?.(request) ?? 'gateway' }),
        });

  const contractEndpoint = createContractEndpoint({
    recognizer,
    clientApiKeys: config.restApiKeys,
    upstreamApiKey: config.ekycpro?.apiKey,
    maxRequestBytes: config.maxRequestBytes,
  });

  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') return Response.json({ status: 'ok' });
    if (pathname === '/readyz') {
      const ready = provider.isReady?.() ?? true;
      return Response.json({ ready, provider: provider.name }, { status: ready ? 200 : 503 });
    }
    if (pathname === CONTRACT_PATH) return contractEndpoint(request);
    const target = subgraphYoga && pathname === subgraphPath ? subgraphYoga : yoga;
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return target.fetch(request);

    const body = await readLimitedBody(request, config.maxRequestBytes);
    if (body === TOO_LARGE) {
      return Response.json(
        { errors: [{ message: `Request body larger than ${config.maxRequestBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
        // Closing the connection is the only way to stop a client that is still sending.
        { status: 413, headers: { connection: 'close' } },
      );
    }
    return target.fetch(new URL(request.url), { method: request.method, headers: request.headers, body, signal: request.signal });
  };

  return {
    handler: createServerAdapter<Record<string, never>, { handle(request: Request): Promise<Response> }>({ handle }),
    yoga,
    subgraphYoga,
    recognizer,
    close: async () => {
      await provider.close?.();
    },
  };
}
