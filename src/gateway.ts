import { createServerAdapter, type ServerAdapter } from '@whatwg-node/server';
import { createFetch } from '@whatwg-node/fetch';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig } from './config.ts';
import { createByteBudget, type ByteBudget } from './http/byte-budget.ts';
import { createDocumentCache } from './http/document-cache.ts';
import { ABORTED, OVER_BUDGET, readLimitedBody, TOO_LARGE } from './http/limit-body.ts';
import { useMaxFieldOccurrences } from './http/use-max-field-occurrences.ts';
import { useNoEcho } from './http/use-no-echo.ts';
import { useQueryLimits } from './http/use-query-limits.ts';
import type { KtpProvider } from './providers/provider.ts';
import type { ProviderOutcome } from './outcome.ts';
import type { KeyValueCache } from './recognition/key-value-cache.ts';
import { createMemoryCache } from './recognition/memory-cache.ts';
import { createRecognizer, type Recognizer } from './recognition/recognizer.ts';
import { CONTRACT_PATH } from './contract.ts';
import { createContractEndpoint } from './rest/contract-endpoint.ts';
import { createGraphQLContext, type GraphQLContext } from './schema/context.ts';
import { subgraphSchema } from './schema/index.ts';
import { SCALAR_ERRORS } from './schema/scalars.ts';

export interface GatewayOptions {
  config: Pick<GatewayConfig, 'cache' | 'maxRequestBytes' | 'maxRecognitionsPerOperation' | 'graphiql' | 'restApiKeys' | 'graphqlLimits' | 'imageLimits' | 'maxBufferedBytes'> & {
    /** The key the gateway itself sends upstream: never accepted from a client, even if listed in `restApiKeys`. */
    ekycpro?: Pick<GatewayConfig['ekycpro'], 'apiKey'>;
  };
  provider: KtpProvider;
  /** Defaults to the process-wide LRU from `config.cache`. */
  cache?: KeyValueCache<ProviderOutcome>;
}

export interface Gateway {
  /** Fetch-API handler for every route; also a Node `(req, res)` listener. */
  handler: ServerAdapter<Record<string, never>, { handle(request: Request): Promise<Response> }>;
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  recognizer: Recognizer;
  /** Bytes of request bodies held right now, across every request in flight (`MAX_BUFFERED_BYTES`). */
  bufferedBytes: ByteBudget;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

/**
 * Builds the whole gateway from injected parts: the provider (a paid API URL, a fake one in tests,
 * or the local engine) and the cache. `server.ts` adds only the socket and the signals.
 */
export function createGateway({ config, provider, cache }: GatewayOptions): Gateway {
  const recognizer = createRecognizer({
    provider,
    cache: cache ?? createMemoryCache<ProviderOutcome>({ maxBytes: config.cache.maxBytes }),
    ttlSeconds: config.cache.ttlSeconds,
    imageLimits: config.imageLimits,
  });

  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema: subgraphSchema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => createGraphQLContext(recognizer, request.signal),
    graphiql: config.graphiql ? { title: 'ktp-gateway', defaultQuery: GRAPHIQL_DEFAULT_QUERY } : false,
    landingPage: false,
    // Only short documents are cached by their text (see createDocumentCache for why).
    parserAndValidationCache: { documentCache: createDocumentCache(), errorCache: createDocumentCache<unknown>() },
    // One file per request: the multipart parser refuses a second one instead of buffering it.
    // The `operations` and `map` fields are JSON like a non-multipart body, and capped like one.
    fetchAPI: createFetch({
      formDataLimits: { files: 1, fileSize: config.maxRequestBytes, fieldSize: config.graphqlLimits.maxJsonBodyBytes },
    }),
    plugins: [
      // Apollo Client's upload link users are told to send `Apollo-Require-Preflight`; accept both.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] }),
      useQueryLimits(config.graphqlLimits),
      useMaxFieldOccurrences({ fieldName: 'recognizeKtp', max: config.maxRecognitionsPerOperation }),
      useNoEcho({ safeReasons: Object.values(SCALAR_ERRORS) }),
    ],
    // No request logging: variables and errors may carry personal data.
    logging: 'warn',
  });

  const bufferedBytes = createByteBudget(config.maxBufferedBytes);
  const contractEndpoint = createContractEndpoint({
    recognizer,
    clientApiKeys: config.restApiKeys,
    upstreamApiKey: config.ekycpro?.apiKey,
    maxRequestBytes: config.maxRequestBytes,
    bufferedBytes,
  });

  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') return Response.json({ status: 'ok' });
    if (pathname === '/readyz') {
      const ready = provider.isReady?.() ?? true;
      return Response.json({ ready, provider: provider.name }, { status: ready ? 200 : 503 });
    }
    if (pathname === CONTRACT_PATH) return contractEndpoint(request);
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return yoga.fetch(request);

    // Only an upload needs megabytes; a JSON operation is a few hundred bytes, and every byte of it
    // is parsed (JSON, then GraphQL) on the event loop.
    const multipart = request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data') ?? false;
    const limit = multipart ? config.maxRequestBytes : Math.min(config.maxRequestBytes, config.graphqlLimits.maxJsonBodyBytes);
    // The body's bytes stay charged until the answer is made: the image and its copies live that long.
    const lease = bufferedBytes.lease();
    try {
      const body = await readLimitedBody(request, limit, lease);
      if (body === TOO_LARGE) {
        return Response.json(
          { errors: [{ message: `Request body larger than ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
          // Closing the connection is the only way to stop a client that is still sending.
          { status: 413, headers: { connection: 'close' } },
        );
      }
      if (body === OVER_BUDGET) {
        return Response.json(
          { errors: [{ message: 'The server is busy with other uploads; retry shortly', extensions: { code: 'SERVER_BUSY' } }] },
          { status: 503, headers: { connection: 'close', 'retry-after': '1' } },
        );
      }
      // Nobody is left to read an answer; this one only ends the handler.
      if (body === ABORTED) return new Response(null, { status: 400, headers: { connection: 'close' } });
      return await yoga.fetch(new URL(request.url), { method: request.method, headers: request.headers, body, signal: request.signal });
    } finally {
      lease.release();
    }
  };

  return {
    handler: createServerAdapter<Record<string, never>, { handle(request: Request): Promise<Response> }>({ handle }),
    yoga,
    recognizer,
    bufferedBytes,
    close: async () => {
      await provider.close?.();
    },
  };
}

const GRAPHIQL_DEFAULT_QUERY = `# GraphiQL cannot attach files, so recognizeKtp is tried from a terminal:
#
#   curl http://localhost:4000/graphql \\
#     -H 'x-graphql-yoga-csrf: 1' \\
#     -F operations='{"query":"mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate } ... on OcrError { code message } } }","variables":{"image":null}}' \\
#     -F map='{"0":["variables.image"]}' \\
#     -F 0=@ktp.jpg
#
# Here you can explore the schema and check the recognizer:
query {
  ktpRecognizerStatus {
    provider
    ready
  }
}
`;
