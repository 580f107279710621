import { createServerAdapter, type ServerAdapter } from '@whatwg-node/server';
import { createFetch } from '@whatwg-node/fetch';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, useReadinessCheck, type YogaInitialContext, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { createAuthenticator, type Authenticate } from './access/authenticate.ts';
import { ANONYMOUS_CLIENT, isRefusal, type AuthRefusal, type Client } from './access/client.ts';
import { corsOptions } from './access/cors.ts';
import { createKeyStore, type KeyStore } from './access/key-store.ts';
import { createJwtVerifier } from './access/jwt.ts';
import { createSpendLimits } from './access/spend-limits.ts';
import { useRetryAfter } from './access/use-retry-after.ts';
import { createMemoryUsageLedger, type UsageLedger } from './access/usage.ts';
import { clientOf, unauthorized, useClientAuth, type ClientContext } from './access/use-client-auth.ts';
import type { GatewayConfig } from './config.ts';
import { attachAuditLog, createLogger, observeRequests, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { requestContext } from './observability/request-context.ts';
import { graphiqlOptions } from './ecosystem/graphiql.ts';
import { ecosystemPlugins } from './ecosystem/plugins.ts';
import { createPersistedQueryStore } from './ecosystem/use-persisted-queries.ts';
import { useBufferedMultipart, type BufferedBodyContext } from './http/use-buffered-multipart.ts';
import { BUSY_RETRY_AFTER_SECONDS, createByteBudget, type ByteBudget, type LeaseOwner } from './http/byte-budget.ts';
import { createDocumentCache } from './http/document-cache.ts';
import { ABORTED, OVER_BUDGET, OVER_SHARE, readLimitedBody, TOO_LARGE } from './http/limit-body.ts';
import { useMaxFieldOccurrences } from './http/use-max-field-occurrences.ts';
import { useNoEcho } from './http/use-no-echo.ts';
import { useQueryLimits } from './http/use-query-limits.ts';
import type { KtpProvider } from './providers/provider.ts';
import type { ProviderOutcome } from './outcome.ts';
import type { KeyValueCache } from './recognition/key-value-cache.ts';
import { createMemoryCache } from './recognition/memory-cache.ts';
import type { Coalescer } from './recognition/coalesce.ts';
import { createRecognizer, type Flight, type Recognizer } from './recognition/recognizer.ts';
import { CONTRACT_PATH } from './contract.ts';
import { createContractEndpoint } from './rest/contract-endpoint.ts';
import { createReviewPage } from './review/review-page.ts';
import { createGraphQLContext, type GraphQLContext } from './schema/context.ts';
import { clientSchema, subgraphSchema } from './schema/index.ts';
import { createAnsweredReferences, type RecognitionReferences } from './schema/recognition-references.ts';
import { SCALAR_ERRORS } from './schema/scalars.ts';

export interface GatewayOptions {
  config: Pick<
    GatewayConfig,
    'cache' | 'maxRequestBytes' | 'maxRecognitionsPerOperation' | 'graphiql' | 'reviewPage' | 'restApiKeys' | 'ecosystem' | 'graphqlLimits' | 'imageLimits' | 'maxBufferedBytes'
  > & {
    /** One client's and one address's share of `maxBufferedBytes`; default: no share, only the total. */
    bufferedShares?: GatewayConfig['bufferedShares'];
    /** Client keys, CORS and limits; default: open, no limits, permissive CORS without credentials. */
    access?: GatewayConfig['access'];
    /** Logs and metrics; default: info-level logs on stdout, metrics on `/metrics`. */
    observability?: GatewayConfig['observability'];
    /** The key the gateway itself sends upstream: never accepted from a client, even if listed in `restApiKeys`. */
    ekycpro?: Pick<GatewayConfig['ekycpro'], 'apiKey' | 'unreadableHoldSeconds'>;
  };
  provider: KtpProvider;
  /** Defaults to the process-wide LRU from `config.cache`. */
  cache?: KeyValueCache<ProviderOutcome>;
  /** Automatic persisted queries' store. Default: in process (see `usePersistedQueries`). */
  persistedQueries?: KeyValueCache<string>;
  /** Who may read a recognition back by content hash on the subgraph path. Default: only what it was answered. */
  references?: RecognitionReferences;
  /**
   * Names the caller of a subgraph-path request for `references`. Default: the authenticated
   * client's id (on an open server, one name for every caller).
   */
  callerOf?: (request: Request) => string;
  /** The client keys; default: loaded from `config.access.apiKeysFile` and `config.restApiKeys`. */
  keys?: KeyStore;
  /** Where limit counters live so they hold across replicas (the shared memory's Redis); default this process. */
  counters?: { client: Redis; prefix: string };
  /** Where `ktpUsage` is counted: fleet-wide in Redis (`createRedisUsageLedger`); default this process's memory. */
  usage?: UsageLedger;
  /** Default: JSON lines on stdout at `config.observability.logLevel`. */
  logger?: Logger;
  /** Default: a registry of its own, unless `config.observability.metrics` is false. */
  metrics?: Metrics;
  /** Defaults to per-process coalescing; with Redis, leases across replicas. */
  coalescer?: Coalescer<Flight>;
  /** What else `/readyz` reports on (Redis, the OCR worker fleet); each may make the gateway unready. */
  readiness?: ReadinessCheck[];
}

/** One part of the process that `/readyz` reports on, by name, with its own details. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ready: boolean } & Record<string, unknown>>;
}

/** What the Node listener hands each request beside it: the connection, for the peer's address. */
export interface PeerContext {
  req?: { socket?: { remoteAddress?: string | undefined } };
}

type Handle = (request: Request, peer?: PeerContext) => Promise<Response>;

export interface Gateway {
  /** Fetch-API handler for every route; also a Node `(req, res)` listener. */
  handler: ServerAdapter<PeerContext, { handle: Handle }>;
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  /** The federation subgraph on `config.ecosystem.subgraphPath`, when it is served. */
  subgraphYoga: YogaServerInstance<ServerContext, GraphQLContext> | undefined;
  recognizer: Recognizer;
  /** The client keys in force; `reload()` on SIGHUP. */
  keys: KeyStore;
  /** True when no keys are configured: every request is the anonymous client. */
  open: boolean;
  /** The Prometheus series, when on; `server.ts` serves them on `METRICS_PORT` when that is set. */
  metrics: Metrics | undefined;
  logger: Logger;
  /** Bytes of request bodies held right now, across every request in flight (`MAX_BUFFERED_BYTES`). */
  bufferedBytes: ByteBudget;
  /**
   * Waits up to `drainMs` (default 0) for paid calls that outlived their requests to settle, so
   * their answers are kept and counted, then detaches and closes the provider. Resolves with how
   * many calls were still running.
   */
  close(options?: { drainMs?: number }): Promise<number>;
}

export const GRAPHQL_PATH = '/graphql';
export const METRICS_PATH = '/metrics';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

/** What the gateway hands Yoga beside each request: the body it already read, and who sent it. */
type ServerContext = BufferedBodyContext & ClientContext;

/**
 * Builds the whole gateway from injected parts: the provider (a paid API URL, a fake one in tests,
 * or the local engine) and the cache. `server.ts` adds only the socket and the signals.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, provider, cache, coalescer, readiness = [], persistedQueries, references, callerOf, keys: givenKeys, counters } = options;
  const keys = givenKeys ?? createKeyStore({ file: config.access?.apiKeysFile, restApiKeys: config.restApiKeys, upstreamApiKey: config.ekycpro?.apiKey });
  const jwtOptions = config.access?.jwt;
  const authenticate: Authenticate = createAuthenticator({ keys, verifyToken: jwtOptions ? createJwtVerifier(jwtOptions) : undefined });
  const recognizer = createRecognizer({
    provider,
    cache: cache ?? createMemoryCache<ProviderOutcome>({ maxBytes: config.cache.maxBytes }),
    coalescer,
    ttlSeconds: config.cache.ttlSeconds,
    imageLimits: config.imageLimits,
    cacheScope: config.cache.scope,
    unreadableHoldSeconds: config.ekycpro?.unreadableHoldSeconds,
    spend: createSpendLimits({
      redis: counters,
      defaultRequestsPerMinute: config.access?.requestsPerMinute,
      defaultPaidCallsPerDay: config.access?.paidCallsPerDay,
    }),
  });
  // Metrics and logs attach to the recognizer's and the provider's hooks; the core imports neither.
  const observability = config.observability ?? { logLevel: 'info', metrics: true, metricsPort: undefined };
  const logger = options.logger ?? createLogger({ level: observability.logLevel });
  const metrics = options.metrics ?? (observability.metrics ? createMetrics() : undefined);
  const usage = options.usage ?? createMemoryUsageLedger();
  const detach = [attachAuditLog(recognizer, logger), metrics?.attach(recognizer, provider), recognizer.onOutcome((event) => usage.record(event))];
  /** `/readyz`: the provider's readiness and every other part's, each by name. */
  async function readinessAnswer(): Promise<Response> {
    let ready = provider.isReady?.() ?? true;
    const body: Record<string, unknown> = { ready, provider: provider.name, ...provider.readinessDetails?.() };
    for (const part of readiness) {
      const state = await part.check().catch(() => ({ ready: false }));
      body[part.name] = state;
      ready &&= state.ready;
    }
    body.ready = ready;
    return Response.json(body, { status: ready ? 200 : 503 });
  }
  // One store for both GraphQL endpoints.
  const persistedQueryStore = persistedQueries ?? createPersistedQueryStore();

  const graphqlOptions = {
    schema: clientSchema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }: YogaInitialContext) => ({ ...createGraphQLContext(recognizer, request.signal, undefined, clientOf(request)), usage }),
    cors: corsOptions(config.access?.corsOrigins),
    graphiql: config.graphiql ? (request: Request) => graphiqlOptions(request, GRAPHQL_PATH) : false,
    // Bundled assets: GraphiQL loads with no request to any other host.
    renderGraphiQL,
    landingPage: false,
    // Already capped before Yoga sees the body (readLimitedBody below); Yoga's own cap would pipe
    // every upload through a second, byte-counting stream, the largest single cost of a cache hit.
    maxRequestBodySize: false,
    // Only short documents are cached by their text (see createDocumentCache for why).
    parserAndValidationCache: { documentCache: createDocumentCache(), errorCache: createDocumentCache<unknown>() },
    // One file per request: the multipart parser refuses a second one instead of buffering it.
    // The `operations` and `map` fields are JSON like a non-multipart body, and capped like one.
    fetchAPI: createFetch({
      formDataLimits: { files: 1, fileSize: config.maxRequestBytes, fieldSize: config.graphqlLimits.maxJsonBodyBytes },
    }),
    // Yoga's health check, on our documented path (its default `/health` would answer any URL ending so).
    healthCheckEndpoint: HEALTH_PATH,
    plugins: [
      // Readiness before the keys: a load balancer's probe carries none.
      useReadinessCheck({ endpoint: READY_PATH, check: readinessAnswer }),
      // Then: nothing is parsed, validated or counted for a request that names no client.
      useClientAuth({ authenticate }),
      // Apollo Client's upload link users are told to send `Apollo-Require-Preflight`; accept both.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] }),
      useQueryLimits(config.graphqlLimits),
      useMaxFieldOccurrences({ fieldName: 'recognizeKtp', max: config.maxRecognitionsPerOperation }),
      // The GraphQL ecosystem: persisted queries, @defer/@stream, production hardening.
      ...ecosystemPlugins({ config: config.ecosystem, persistedQueries: persistedQueryStore }),
      useBufferedMultipart({ maxFieldBytes: config.graphqlLimits.maxJsonBodyBytes }),
      useNoEcho({ safeReasons: Object.values(SCALAR_ERRORS) }),
      useRetryAfter(),
    ],
    // No request logging: variables and errors may carry personal data.
    logging: 'warn',
  } satisfies YogaServerOptions<ServerContext, GraphQLContext>;
  const yoga = createYoga<ServerContext, GraphQLContext>(graphqlOptions);

  // The federation subgraph, for a gateway: the same server and plugins, the schema with
  // `_service` and `_entities`, and the record of who may read a recognition back by its hash.
  const subgraphPath = config.ecosystem.subgraphPath;
  const entityReferences = references ?? createAnsweredReferences({ ttlSeconds: config.cache.ttlSeconds });
  const subgraphYoga =
    subgraphPath === undefined
      ? undefined
      : createYoga<ServerContext, GraphQLContext>({
          ...graphqlOptions,
          schema: subgraphSchema,
          graphqlEndpoint: subgraphPath,
          graphiql: false,
          context: ({ request }) => {
            const client = clientOf(request);
            return { ...createGraphQLContext(recognizer, request.signal, { access: entityReferences, caller: callerOf?.(request) ?? client.id }, client), usage };
          },
        });

  const bufferedBytes = createByteBudget(config.maxBufferedBytes, config.bufferedShares);
  const contractEndpoint = createContractEndpoint({
    recognizer,
    authenticate,
    maxRequestBytes: config.maxRequestBytes,
    bufferedBytes,
    corsOrigins: config.access?.corsOrigins,
  });

  // The review page at `/` (REVIEW_PAGE), from its built files.
  const reviewPage = config.reviewPage ? createReviewPage() : undefined;

  const handle: Handle = async (request, peer) => {
    const { pathname } = new URL(request.url);
    const page = reviewPage?.handle(request);
    if (page) return page;
    // Yoga's own health check and readiness plugin answer these, before any key is asked for.
    if (pathname === HEALTH_PATH || pathname === READY_PATH) return yoga.fetch(request);
    if (pathname === METRICS_PATH && metrics && observability.metricsPort === undefined) return serveMetrics(request, metrics);
    if (request.method === 'OPTIONS') return yoga.fetch(request);
    // Who is asking, from the headers alone, before a body byte is read: a refused client costs nothing.
    // Not awaited when it need not be: the body must start being read in this tick (see Authenticate).
    const found = request.method === 'POST' ? authenticatePost(request) : undefined;
    const client: Client | null | undefined = found instanceof Promise ? await found : found;
    const record = requestContext.getStore();
    if (record && client) record.client = client.id;
    if (client === null) return pathname === CONTRACT_PATH ? contractEndpoint(request) : unauthorized(refusalOf.get(request) ?? 'invalid credentials');
    // Whose share of the buffered bytes a body is charged to (see createByteBudget).
    const owner: LeaseOwner = { client: client && client !== ANONYMOUS_CLIENT ? client.id : undefined, address: peer?.req?.socket?.remoteAddress };
    if (pathname === CONTRACT_PATH) return contractEndpoint(request, client ?? undefined, owner);
    const target = subgraphYoga && pathname === subgraphPath ? subgraphYoga : yoga;
    if (request.method === 'GET' || request.method === 'HEAD') return target.fetch(request);

    // Only an upload needs megabytes; a JSON operation is a few hundred bytes, and every byte of it
    // is parsed (JSON, then GraphQL) on the event loop.
    const multipart = request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data') ?? false;
    const limit = multipart ? config.maxRequestBytes : Math.min(config.maxRequestBytes, config.graphqlLimits.maxJsonBodyBytes);
    // The body's bytes stay charged until the answer is made: the image and its copies live that long.
    const lease = bufferedBytes.lease(owner);
    try {
      const body = await readLimitedBody(request, limit, lease);
      if (body === TOO_LARGE) {
        return Response.json(
          { errors: [{ message: `Request body larger than ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
          // Closing the connection is the only way to stop a client that is still sending.
          { status: 413, headers: { connection: 'close' } },
        );
      }
      if (body === OVER_BUDGET || body === OVER_SHARE) return busy(body);
      // Nobody is left to read an answer; this one only ends the handler.
      if (body === ABORTED) return new Response(null, { status: 400, headers: { connection: 'close' } });
      return await target.fetch(new URL(request.url), { method: request.method, headers: request.headers, body, signal: request.signal }, { rawBody: body, client });
    } finally {
      lease.release();
    }
  };

  /**
   * A body the buffered-bytes budget could not hold, GraphQL-shaped: 503 when the whole budget is
   * full (everyone's trouble), 429 when this client or address holds its share already (its own).
   * The connection closes: it is the only way to stop a client that is still sending.
   */
  function busy(refusal: typeof OVER_BUDGET | typeof OVER_SHARE): Response {
    const [status, message, code] =
      refusal === OVER_BUDGET
        ? [503, 'The server is busy with other uploads; retry shortly', 'SERVER_BUSY']
        : [429, 'Too many uploads in flight from this client or address; retry shortly', 'TOO_MANY_UPLOADS'];
    return Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers: { connection: 'close', 'retry-after': BUSY_RETRY_AFTER_SECONDS } });
  }

  /**
   * `/metrics` on the main port: when keys are configured, only for an admin key (the series name
   * the clients); open otherwise, like the rest of the server. `METRICS_PORT` serves it apart.
   */
  async function serveMetrics(request: Request, series: Metrics): Promise<Response> {
    if (!keys.configured && !jwtOptions) return series.respond();
    const found = await authenticate(request.headers);
    return !isRefusal(found) && found.admin ? series.respond() : new Response('metrics need an admin key\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }

  // POSTs to the GraphQL paths and the REST contract; `null` when refused (why, in `refusalOf`).
  const refusalOf = new WeakMap<Request, string>();
  function authenticatePost(request: Request): Client | null | Promise<Client | null> {
    const found = authenticate(request.headers);
    const settle = (answer: Client | AuthRefusal) => {
      if (!isRefusal(answer)) return answer;
      refusalOf.set(request, answer.message);
      return null;
    };
    return found instanceof Promise ? found.then(settle) : settle(found);
  }

  const routeOf = (pathname: string) =>
    pathname === GRAPHQL_PATH ? 'graphql'
    : pathname === CONTRACT_PATH ? 'rest'
    : subgraphPath !== undefined && pathname === subgraphPath ? 'subgraph'
    : pathname === METRICS_PATH ? 'metrics'
    : pathname === HEALTH_PATH || pathname === READY_PATH ? 'health'
    : 'other';
  const observed = observeRequests(handle, { logger, routeOf, onAnswered: (record, status) => metrics?.observeRequest(record.route, status) });

  return {
    keys,
    open: !keys.configured && !jwtOptions,
    metrics,
    logger,
    handler: createServerAdapter<PeerContext, { handle: Handle }>({ handle: observed }),
    yoga,
    subgraphYoga,
    recognizer,
    bufferedBytes,
    close: async ({ drainMs = 0 } = {}) => {
      const running = await recognizer.drain(drainMs);
      for (const off of detach) off?.();
      await provider.close?.();
      return running;
    },
  };
}
