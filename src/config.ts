import { DEFAULT_SETTLE_MS } from './providers/ekycpro/post-image.ts';
import { KeyRingError, parseKeyRing, type KeyRing } from './recognition/key-ring.ts';
import { DEFAULT_UNREADABLE_HOLD_SECONDS } from './recognition/recognizer.ts';

/**
 * Every setting of the gateway, parsed once from the environment into a typed object.
 * The defaults live here and in the README's configuration table, nowhere else.
 */
export interface GatewayConfig {
  /** `PORT`, default 4000. */
  port: number;
  /** `HOST`, default `0.0.0.0`. */
  host: string;
  /** `KTP_PROVIDER`: `local` (embedded offline engine, the default) or `ekycpro` (the paid API). */
  provider: 'local' | 'ekycpro';
  ekycpro: {
    /** `EKYCPRO_URL`, default the public endpoint. */
    url: string;
    /** `EKYCPRO_API_KEY`; without it the server starts and recognitions answer a clear error. */
    apiKey: string | undefined;
    /**
     * `EKYCPRO_TIMEOUT_MS`, default 15000: how long a request waits for the paid API (the contract
     * says large images take longer than 2 s). A request that waits longer is answered a free,
     * retryable `UPSTREAM_UNAVAILABLE`, but the call goes on (see `settleMs`): it may be charged.
     */
    timeoutMs: number;
    /**
     * `EKYCPRO_SETTLE_MS`, default 120000 (at least the timeout): how long a call to the paid API may
     * run in all. Its answer is kept and counted however late it lands within this; a retry of the
     * same image meanwhile joins it. Only a call that outlives this, or loses its connection
     * before an answer starts, gives its client's budget hold back.
     */
    settleMs: number;
    /**
     * `EKYCPRO_UNREADABLE_HOLD_SECONDS`, default 900: how long an image whose answer may have been
     * charged but could not be read (a truncated or non-JSON 200, a connection cut mid-body) is
     * answered from memory, free and retryable, instead of being sent again.
     */
    unreadableHoldSeconds: number;
    /** `EKYCPRO_RETRIES`, default 2: extra attempts after an `INNER_ERROR` answer (free, so safe to repeat). */
    retries: number;
    /** `EKYCPRO_BREAKER_THRESHOLD`, default 5 consecutive failures open the circuit. */
    breakerThreshold: number;
    /** `EKYCPRO_BREAKER_COOLDOWN_MS`, default 10000: how long an open circuit answers at once. */
    breakerCooldownMs: number;
    /** `EKYCPRO_MAX_CONCURRENCY`, default 16: calls open at the paid API at once. */
    maxConcurrency: number;
    /** `EKYCPRO_MAX_QUEUE`, default 64: recognitions waiting for a call; beyond it a free, retryable "busy" INNER_ERROR. */
    maxQueue: number;
  };
  local: {
    /**
     * `LOCAL_OCR_WORKERS`; undefined lets the engine pick its default for the machine. 0 (only with
     * `OCR_QUEUE=redis`): this process runs no engine and only enqueues.
     */
    workers: number | undefined;
    /** `LOCAL_OCR_MAX_QUEUE`; undefined lets the engine pick its default. */
    maxQueue: number | undefined;
  };
  cache: {
    /** `CACHE_MAX_BYTES`, default 64 MiB of kept outcomes. */
    maxBytes: number;
    /** `CACHE_TTL_SECONDS`, default 86400 (a day): a KTP is personal data, keep it no longer than useful. */
    ttlSeconds: number;
    /**
     * `CACHE_SCOPE`: `client` (default) keeps and coalesces answers per client, so the cache tells
     * no client what another uploaded; `shared` answers every client from one entry per image.
     */
    scope: 'client' | 'shared';
  };
  /** Metrics and logs (issue 9). */
  observability: {
    /** `LOG_LEVEL`, default `info`: one JSON line per request and per paid call. `silent` turns logging off. */
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** `METRICS`, default true: Prometheus series at `/metrics`. */
    metrics: boolean;
    /** `METRICS_PORT`: serve `/metrics` on this port only (and not on the main one). Unset: the main port. */
    metricsPort: number | undefined;
  };
  /** Who may call, and how much (issue 9). Open (one anonymous client) when no keys and no JWT are configured. */
  access: {
    /** `API_KEYS_FILE`: a JSON array of client keys, reloaded on SIGHUP. */
    apiKeysFile: string | undefined;
    /** `ALLOW_ANONYMOUS`, default false: lets `NODE_ENV=production` start with no keys and no JWT. */
    allowAnonymous: boolean;
    /** `NODE_ENV=production`: the server refuses to start open unless `allowAnonymous`. */
    production: boolean;
    /** `CORS_ORIGINS`: comma-separated origins allowed with credentials. Unset: any origin, never with credentials. */
    corsOrigins: string[] | undefined;
    /** `RATE_LIMIT_PER_MINUTE`: recognitions per minute for a client whose key sets none. Unset: no limit. */
    requestsPerMinute: number | undefined;
    /** `PAID_CALLS_PER_DAY`: charged paid-API calls per UTC day for a client whose key sets none. Unset: no budget. */
    paidCallsPerDay: number | undefined;
    /** JWT bearer tokens from a platform gateway in front; on when `JWT_JWKS_URL` or `JWT_PUBLIC_KEY` is set. */
    jwt: {
      /** `JWT_JWKS_URL`. */
      jwksUrl: string | undefined;
      /** `JWT_PUBLIC_KEY`: PEM (`\n` may be written as the two characters). */
      publicKey: string | undefined;
      /** `JWT_ISSUER`. */
      issuer: string | undefined;
      /** `JWT_AUDIENCE`. */
      audience: string | undefined;
      /** `JWT_CLIENT_CLAIM`, default `azp`: the claim naming the client. */
      clientClaim: string;
      /** `JWT_MAX_AGE_SECONDS`, unset: a token without `exp` is refused. Set: accepted while its `iat` is at most this old. */
      maxAgeSeconds: number | undefined;
    } | undefined;
  };
  /** Redis as the replicas' shared memory and work queue. Everything here is off unless `REDIS_URL` is set. */
  redis: {
    /** `REDIS_URL`, unset by default: the cache and coalescing stay in this process. */
    url: string | undefined;
    /** `REDIS_PREFIX`, default `ktp`: the namespace of every key the gateway and its workers write. */
    prefix: string;
    /**
     * `CACHE_ENCRYPTION_KEY`: comma-separated 32-byte keys (64 hex characters or base64), newest
     * first. Required with `REDIS_URL`: nothing personal is written to Redis in the clear.
     */
    keys: KeyRing | undefined;
    /**
     * `CACHE_REQUIRED`, default false. True: while Redis is unreachable the paid provider is not
     * called (a free, retryable error instead), so no answer is ever paid for unshared.
     */
    required: boolean;
    /** `CACHE_MAX_VALUE_BYTES`, default 65536: a larger value is not written to Redis. */
    maxValueBytes: number;
    /** `COALESCE_LEASE_MS`, default 10000: a dead replica's lease on an image expires after this long. */
    leaseMs: number;
    /** `COALESCE_WAIT_MS`, default 60000: how long a replica waits for another's answer before a retryable error. */
    waitMs: number;
  };
  ocrQueue: {
    /** `OCR_QUEUE`: `local` (default, this process's worker threads) or `redis` (a BullMQ queue any worker may serve). */
    mode: 'local' | 'redis';
    /**
     * `OCR_QUEUE_LOCK_MS`, default 30000: a worker's hold on a job, renewed while it works; a killed
     * worker's job is picked up by another after about this long.
     */
    lockMs: number;
  };
  /** `MAX_REQUEST_BYTES`, default 8 MiB: larger request bodies are refused with 413 before they are buffered. */
  maxRequestBytes: number;
  /** `MAX_RECOGNITIONS_PER_OPERATION`, default 4: aliases of `recognizeKtp` beyond this are refused. */
  maxRecognitionsPerOperation: number;
  /** `GRAPHIQL`: served unless `NODE_ENV=production`, or forced with `GRAPHIQL=true|false`. */
  graphiql: boolean;
  /**
   * `REVIEW_PAGE`: the KYC review page at `/` (README: "Review page"). Served unless
   * `NODE_ENV=production`, like GraphiQL: it shows whole cards to whoever opens it.
   */
  reviewPage: boolean;
  /**
   * `REST_API_KEYS`: comma-separated keys that clients of `POST /v1/id_ocr/general` must send in
   * `X-API-Key`. Empty (the default): the header is ignored.
   */
  restApiKeys: string[];
  /**
   * The GraphQL ecosystem's switches (README: "Behind a gateway", "Production hardening").
   * The hardening ones default to off under `NODE_ENV=production` and on otherwise.
   */
  ecosystem: {
    /** `INTROSPECTION`: answer `__schema`/`__type` queries; on unless `NODE_ENV=production`. */
    introspection: boolean;
    /** `FIELD_SUGGESTIONS`: "Did you mean …?" in validation errors; on unless `NODE_ENV=production`. */
    fieldSuggestions: boolean;
    /**
     * `SUBGRAPH_PATH`: the path where the Apollo Federation subgraph (`_service`, `_entities`) is
     * served for a gateway; `/subgraph` unless `NODE_ENV=production`, where it is off until set.
     * `off` turns it off. Never `/graphql`: federation fields stay out of the client schema.
     */
    subgraphPath: string | undefined;
    /** `PERSISTED_QUERIES`: automatic persisted queries (Apollo's APQ protocol); default on. */
    persistedQueries: boolean;
  };
  /** Bounds on what one request may cost before anything runs (hostile input, issue 11). */
  graphqlLimits: {
    /** `MAX_JSON_BODY_BYTES`, default 64 KiB: a non-multipart body (and a multipart `operations` or `map` field) larger than this gets 413. */
    maxJsonBodyBytes: number;
    /** `GRAPHQL_MAX_TOKENS`, default 1000: the parser gives up past this many tokens. */
    maxTokens: number;
    /** `GRAPHQL_MAX_DEPTH`, default 10. */
    maxDepth: number;
    /** `GRAPHQL_MAX_ALIASES`, default 15. */
    maxAliases: number;
    /** `GRAPHQL_MAX_DIRECTIVES`, default 50. */
    maxDirectives: number;
    /** `GRAPHQL_MAX_COST`, default 5000 (graphql-armor's cost). */
    maxCost: number;
  };
  /**
   * `MAX_BUFFERED_BYTES`, default 128 MiB: request bodies held in memory across every request in
   * flight; a body that would pass it is refused at once (503 busy, REST INNER_ERROR).
   */
  maxBufferedBytes: number;
  /** The shares of `maxBufferedBytes` one sender may hold, so that it cannot starve the others (beyond it: 429, `Retry-After`). */
  bufferedShares: {
    /**
     * `MAX_BUFFERED_BYTES_PER_CLIENT`, default a quarter of `MAX_BUFFERED_BYTES` (but at least one
     * `MAX_REQUEST_BYTES` body): one client key's or JWT client's bodies in flight. The open
     * server's anonymous client is everyone, and is held to the per-address share only.
     */
    perClient: number;
    /** `MAX_BUFFERED_BYTES_PER_ADDRESS`, default as the per-client one: one peer address's bodies in flight. */
    perAddress: number;
  };
  /** The HTTP server's bounds on slow and numerous clients, and its shutdown. */
  server: {
    /** `SERVER_HEADERS_TIMEOUT_MS`, default 10000: a request's headers must arrive within this. */
    headersTimeoutMs: number;
    /** `SERVER_REQUEST_TIMEOUT_MS`, default 30000: a whole request (headers and body) must arrive within this. */
    requestTimeoutMs: number;
    /** `SERVER_KEEP_ALIVE_TIMEOUT_MS`, default 5000: an idle kept-alive connection is closed after this. */
    keepAliveTimeoutMs: number;
    /** `MAX_CONNECTIONS`, default 1024: connections beyond this are closed as they arrive. */
    maxConnections: number;
    /**
     * `MAX_CONNECTIONS_PER_ADDRESS`, default a quarter of `MAX_CONNECTIONS`: connections from one
     * peer address beyond this are closed as they arrive. Behind a proxy every client has the
     * proxy's address: set it to `MAX_CONNECTIONS` there.
     */
    maxConnectionsPerAddress: number;
    /** `SHUTDOWN_GRACE_MS`, default 30000: how long SIGTERM waits for requests in flight before exiting 1. */
    shutdownGraceMs: number;
  };
  /** What an image must be in pixels, once decoded, before any provider sees it. */
  imageLimits: {
    /** `IMAGE_MAX_PIXELS`, default 40,000,000, which is also the most it may be set to. */
    maxPixels: number;
    /** `IMAGE_MIN_SIDE`, default 64. */
    minSide: number;
    /** `IMAGE_MAX_ASPECT`, default 8 (longer side ÷ shorter side). */
    maxAspect: number;
  };
}

export const DEFAULT_EKYCPRO_URL = 'https://api.ekycpro.com/v1/id_ocr/general';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): GatewayConfig {
  const provider = (env.KTP_PROVIDER ?? 'local').trim().toLowerCase();
  if (provider !== 'local' && provider !== 'ekycpro') {
    throw new ConfigError(`KTP_PROVIDER must be "local" or "ekycpro", got "${provider}"`);
  }
  const redisUrl = optionalUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const ocrQueue = (env.OCR_QUEUE ?? 'local').trim().toLowerCase();
  if (ocrQueue !== 'local' && ocrQueue !== 'redis') throw new ConfigError(`OCR_QUEUE must be "local" or "redis", got "${ocrQueue}"`);
  if (ocrQueue === 'redis' && !redisUrl) throw new ConfigError('OCR_QUEUE=redis needs REDIS_URL');
  const required = boolean(env, 'CACHE_REQUIRED', false);
  if (required && !redisUrl) throw new ConfigError('CACHE_REQUIRED=true needs REDIS_URL');
  const workers = optionalInteger(env, 'LOCAL_OCR_WORKERS', { min: 0, max: 64 });
  const timeoutMs = integer(env, 'EKYCPRO_TIMEOUT_MS', 15_000, { min: 1 });
  const maxRequestBytes = integer(env, 'MAX_REQUEST_BYTES', 8 * 1024 * 1024, { min: 1024 });
  const maxBufferedBytes = integer(env, 'MAX_BUFFERED_BYTES', 128 * 1024 * 1024, { min: 1024 * 1024 });
  if (workers === 0 && ocrQueue !== 'redis') throw new ConfigError('LOCAL_OCR_WORKERS=0 is only valid with OCR_QUEUE=redis (workers elsewhere serve the queue)');
  return {
    port: integer(env, 'PORT', 4000, { min: 0, max: 65535 }),
    host: env.HOST?.trim() || '0.0.0.0',
    provider,
    ekycpro: {
      url: url(env, 'EKYCPRO_URL', DEFAULT_EKYCPRO_URL),
      apiKey: env.EKYCPRO_API_KEY?.trim() || undefined,
      timeoutMs,
      settleMs: integer(env, 'EKYCPRO_SETTLE_MS', Math.max(DEFAULT_SETTLE_MS, timeoutMs), { min: timeoutMs }),
      unreadableHoldSeconds: integer(env, 'EKYCPRO_UNREADABLE_HOLD_SECONDS', DEFAULT_UNREADABLE_HOLD_SECONDS, { min: 0 }),
      retries: integer(env, 'EKYCPRO_RETRIES', 2, { min: 0, max: 10 }),
      breakerThreshold: integer(env, 'EKYCPRO_BREAKER_THRESHOLD', 5, { min: 1 }),
      breakerCooldownMs: integer(env, 'EKYCPRO_BREAKER_COOLDOWN_MS', 10_000, { min: 0 }),
      maxConcurrency: integer(env, 'EKYCPRO_MAX_CONCURRENCY', 16, { min: 1 }),
      maxQueue: integer(env, 'EKYCPRO_MAX_QUEUE', 64, { min: 0 }),
    },
    local: {
      workers,
      maxQueue: optionalInteger(env, 'LOCAL_OCR_MAX_QUEUE', { min: 0 }),
    },
    cache: {
      maxBytes: integer(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024, { min: 0 }),
      ttlSeconds: integer(env, 'CACHE_TTL_SECONDS', 86_400, { min: 1 }),
      scope: oneOf(env, 'CACHE_SCOPE', ['client', 'shared'] as const, 'client'),
    },
    access: access(env),
    observability: {
      logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
      metrics: boolean(env, 'METRICS', true),
      metricsPort: optionalInteger(env, 'METRICS_PORT', { min: 0, max: 65535 }),
    },
    redis: {
      url: redisUrl,
      prefix: env.REDIS_PREFIX?.trim() || 'ktp',
      keys: redisUrl ? keyRing(env) : undefined,
      required,
      maxValueBytes: integer(env, 'CACHE_MAX_VALUE_BYTES', 65_536, { min: 256 }),
      leaseMs: integer(env, 'COALESCE_LEASE_MS', 10_000, { min: 100 }),
      waitMs: integer(env, 'COALESCE_WAIT_MS', 60_000, { min: 100 }),
    },
    ocrQueue: {
      mode: ocrQueue,
      lockMs: integer(env, 'OCR_QUEUE_LOCK_MS', 30_000, { min: 500 }),
    },
    maxRequestBytes,
    maxRecognitionsPerOperation: integer(env, 'MAX_RECOGNITIONS_PER_OPERATION', 4, { min: 1 }),
    graphiql: boolean(env, 'GRAPHIQL', env.NODE_ENV !== 'production'),
    reviewPage: boolean(env, 'REVIEW_PAGE', env.NODE_ENV !== 'production'),
    restApiKeys: (env.REST_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
    ecosystem: {
      introspection: boolean(env, 'INTROSPECTION', env.NODE_ENV !== 'production'),
      fieldSuggestions: boolean(env, 'FIELD_SUGGESTIONS', env.NODE_ENV !== 'production'),
      subgraphPath: subgraphPath(env, env.NODE_ENV === 'production' ? undefined : '/subgraph'),
      persistedQueries: boolean(env, 'PERSISTED_QUERIES', true),
    },
    graphqlLimits: {
      maxJsonBodyBytes: integer(env, 'MAX_JSON_BODY_BYTES', 64 * 1024, { min: 1024 }),
      maxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 1000, { min: 100 }),
      maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 10, { min: 3 }),
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 15, { min: 0 }),
      maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', 50, { min: 0 }),
      maxCost: integer(env, 'GRAPHQL_MAX_COST', 5000, { min: 100 }),
    },
    maxBufferedBytes,
    bufferedShares: bufferedShares(env, maxBufferedBytes, maxRequestBytes),
    server: serverLimits(env),
    imageLimits: {
      maxPixels: integer(env, 'IMAGE_MAX_PIXELS', 40_000_000, { min: 4096, max: 40_000_000 }),
      minSide: integer(env, 'IMAGE_MIN_SIDE', 64, { min: 1 }),
      maxAspect: integer(env, 'IMAGE_MAX_ASPECT', 8, { min: 1 }),
    },
  };
}

function access(env: Env): GatewayConfig['access'] {
  const apiKeysFile = env.API_KEYS_FILE?.trim() || undefined;
  const allowAnonymous = boolean(env, 'ALLOW_ANONYMOUS', false);
  const origins = env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins ?? []) {
    // Compared as exact strings with the browser's Origin header: scheme, host and port, no path.
    if (origin === '*' || !/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS must list origins such as https://app.example.com, got "${origin}"`);
  }
  const jwksUrl = env.JWT_JWKS_URL?.trim() ? url(env, 'JWT_JWKS_URL', '') : undefined;
  const publicKey = env.JWT_PUBLIC_KEY?.trim().replace(/\\n/g, '\n') || undefined;
  if (jwksUrl && publicKey) throw new ConfigError('set JWT_JWKS_URL or JWT_PUBLIC_KEY, not both');
  if (publicKey && !publicKey.includes('-----BEGIN PUBLIC KEY-----')) throw new ConfigError('JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  const jwt =
    jwksUrl || publicKey
      ? {
          jwksUrl,
          publicKey,
          issuer: env.JWT_ISSUER?.trim() || undefined,
          audience: env.JWT_AUDIENCE?.trim() || undefined,
          clientClaim: env.JWT_CLIENT_CLAIM?.trim() || 'azp',
          maxAgeSeconds: optionalInteger(env, 'JWT_MAX_AGE_SECONDS', { min: 1, max: 31 * 86_400 }),
        }
      : undefined;
  if (!jwt && (env.JWT_ISSUER || env.JWT_AUDIENCE || env.JWT_MAX_AGE_SECONDS)) throw new ConfigError('JWT_ISSUER, JWT_AUDIENCE and JWT_MAX_AGE_SECONDS need JWT_JWKS_URL or JWT_PUBLIC_KEY');
  return {
    jwt,
    apiKeysFile,
    allowAnonymous,
    production: env.NODE_ENV === 'production',
    corsOrigins: origins?.length ? origins : undefined,
    requestsPerMinute: optionalInteger(env, 'RATE_LIMIT_PER_MINUTE', { min: 1 }),
    paidCallsPerDay: optionalInteger(env, 'PAID_CALLS_PER_DAY', { min: 0 }),
  };
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (!(values as readonly string[]).includes(text)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${text}"`);
  return text as T;
}

/** What one sender may hold of a shared bound by default: a quarter, so that four of them fill it. */
const DEFAULT_SHARE = 1 / 4;

function bufferedShares(env: Env, total: number, maxRequestBytes: number): GatewayConfig['bufferedShares'] {
  // At least one whole body, or a client could never send the largest one allowed.
  const fallback = Math.min(total, Math.max(Math.floor(total * DEFAULT_SHARE), maxRequestBytes));
  const share = (name: string, otherwise: number) => {
    const value = integer(env, name, otherwise, { min: 1024 });
    if (value > total) throw new ConfigError(`${name} (${value}) must not exceed MAX_BUFFERED_BYTES (${total})`);
    return value;
  };
  return { perClient: share('MAX_BUFFERED_BYTES_PER_CLIENT', fallback), perAddress: share('MAX_BUFFERED_BYTES_PER_ADDRESS', fallback) };
}

function serverLimits(env: Env): GatewayConfig['server'] {
  const headersTimeoutMs = integer(env, 'SERVER_HEADERS_TIMEOUT_MS', 10_000, { min: 100 });
  const requestTimeoutMs = integer(env, 'SERVER_REQUEST_TIMEOUT_MS', 30_000, { min: 100 });
  // Node refuses a header timeout longer than the whole request's.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`SERVER_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed SERVER_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const maxConnections = integer(env, 'MAX_CONNECTIONS', 1024, { min: 1 });
  const maxConnectionsPerAddress = integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', Math.max(1, Math.floor(maxConnections * DEFAULT_SHARE)), { min: 1 });
  if (maxConnectionsPerAddress > maxConnections) {
    throw new ConfigError(`MAX_CONNECTIONS_PER_ADDRESS (${maxConnectionsPerAddress}) must not exceed MAX_CONNECTIONS (${maxConnections})`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'SERVER_KEEP_ALIVE_TIMEOUT_MS', 5_000, { min: 100 }),
    maxConnections,
    maxConnectionsPerAddress,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 30_000, { min: 0 }),
  };
}

function subgraphPath(env: Env, fallback: string | undefined): string | undefined {
  const text = env.SUBGRAPH_PATH?.trim();
  if (!text) return fallback;
  if (['off', 'false', '0', 'no'].includes(text.toLowerCase())) return undefined;
  const reserved = ['/graphql', '/healthz', '/readyz', '/metrics', '/v1/id_ocr/general'];
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(text) || reserved.includes(text.replace(/\/+$/, ''))) {
    throw new ConfigError(`SUBGRAPH_PATH must be a path such as /subgraph (not one of ${reserved.join(', ')}), or off`);
  }
  return text;
}

function keyRing(env: Env): KeyRing {
  const text = env.CACHE_ENCRYPTION_KEY?.trim();
  if (!text) {
    throw new ConfigError(
      'REDIS_URL is set but CACHE_ENCRYPTION_KEY is not: cached answers are personal data and are written to Redis only encrypted. ' +
        'Set CACHE_ENCRYPTION_KEY to 32 random bytes, e.g. the output of `openssl rand -hex 32`.',
    );
  }
  try {
    return parseKeyRing(text);
  } catch (error) {
    if (error instanceof KeyRingError) throw new ConfigError(error.message);
    throw error;
  }
}

function optionalUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be a URL such as redis://127.0.0.1:6379`);
  }
  // The URL may carry a password: name the problem, not the value.
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return text;
}

function optionalInteger(env: Env, name: string, bounds: { min?: number; max?: number }): number | undefined {
  const text = env[name]?.trim();
  return text ? integer(env, name, 0, bounds) : undefined;
}

function integer(env: Env, name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${text}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (['1', 'true', 'yes'].includes(text)) return true;
  if (['0', 'false', 'no'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, got "${text}"`);
}

function url(env: Env, name: string, fallback: string): string {
  const text = env[name]?.trim();
  if (!text) return fallback;
  try {
    return new URL(text).toString();
  } catch {
    throw new ConfigError(`${name} must be an absolute URL`);
  }
}
