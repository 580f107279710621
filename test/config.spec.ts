import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_EKYCPRO_URL, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      provider: 'local',
      ekycpro: {
        url: DEFAULT_EKYCPRO_URL,
        apiKey: undefined,
        timeoutMs: 15_000,
        settleMs: 120_000,
        unreadableHoldSeconds: 900,
        retries: 2,
        breakerThreshold: 5,
        breakerCooldownMs: 10_000,
        maxConcurrency: 16,
        maxQueue: 64,
      },
      local: { workers: undefined, maxQueue: undefined },
      cache: { maxBytes: 64 * 1024 * 1024, ttlSeconds: 86_400, scope: 'client' },
      access: { jwt: undefined, apiKeysFile: undefined, allowAnonymous: false, production: false, corsOrigins: undefined, requestsPerMinute: undefined, paidCallsPerDay: undefined },
      observability: { logLevel: 'info', metrics: true, metricsPort: undefined },
      redis: { url: undefined, prefix: 'ktp', keys: undefined, required: false, maxValueBytes: 65_536, leaseMs: 10_000, waitMs: 60_000 },
      ocrQueue: { mode: 'local', lockMs: 30_000 },
      maxRequestBytes: 8 * 1024 * 1024,
      maxRecognitionsPerOperation: 4,
      graphiql: true,
      reviewPage: true,
      restApiKeys: [],
      ecosystem: { introspection: true, fieldSuggestions: true, subgraphPath: '/subgraph', persistedQueries: true },
      graphqlLimits: { maxJsonBodyBytes: 65_536, maxTokens: 1000, maxDepth: 10, maxAliases: 15, maxDirectives: 50, maxCost: 5000 },
      imageLimits: { maxPixels: 40_000_000, minSide: 64, maxAspect: 8 },
      maxBufferedBytes: 128 * 1024 * 1024,
      bufferedShares: { perClient: 32 * 1024 * 1024, perAddress: 32 * 1024 * 1024 },
      server: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024, maxConnectionsPerAddress: 256, shutdownGraceMs: 30_000 },
    });
  });

  it('reads the hostile-input limits', () => {
    const config = loadConfig({
      MAX_JSON_BODY_BYTES: '2048',
      GRAPHQL_MAX_TOKENS: '300',
      GRAPHQL_MAX_DEPTH: '7',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_DIRECTIVES: '3',
      GRAPHQL_MAX_COST: '900',
    });
    expect(config.graphqlLimits).toEqual({ maxJsonBodyBytes: 2048, maxTokens: 300, maxDepth: 7, maxAliases: 0, maxDirectives: 3, maxCost: 900 });
    expect(() => loadConfig({ GRAPHQL_MAX_TOKENS: '10' })).toThrow(/GRAPHQL_MAX_TOKENS must be an integer in \[100, Infinity\], got "10"/);
  });

  it('reads the server bounds and the buffered-bytes budget', () => {
    const config = loadConfig({
      MAX_BUFFERED_BYTES: '2097152',
      SERVER_HEADERS_TIMEOUT_MS: '2000',
      SERVER_REQUEST_TIMEOUT_MS: '9000',
      SERVER_KEEP_ALIVE_TIMEOUT_MS: '1000',
      MAX_CONNECTIONS: '50',
      SHUTDOWN_GRACE_MS: '0',
    });
    expect(config.maxBufferedBytes).toBe(2_097_152);
    expect(config.server).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 9000, keepAliveTimeoutMs: 1000, maxConnections: 50, maxConnectionsPerAddress: 12, shutdownGraceMs: 0 });
    expect(() => loadConfig({ SERVER_HEADERS_TIMEOUT_MS: '20000', SERVER_REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      /SERVER_HEADERS_TIMEOUT_MS \(20000\) must not exceed SERVER_REQUEST_TIMEOUT_MS \(10000\)/,
    );
  });

  it('gives one client and one address a share of the buffered bytes and of the connections (default a quarter, at least one whole body)', () => {
    // A quarter of 2 MiB is less than one 8 MiB body: the share is then the whole budget.
    expect(loadConfig({ MAX_BUFFERED_BYTES: '2097152' }).bufferedShares).toEqual({ perClient: 2_097_152, perAddress: 2_097_152 });
    expect(loadConfig({ MAX_BUFFERED_BYTES: '67108864', MAX_REQUEST_BYTES: '1048576' }).bufferedShares).toEqual({ perClient: 16_777_216, perAddress: 16_777_216 });
    expect(loadConfig({ MAX_BUFFERED_BYTES_PER_CLIENT: '1048576', MAX_BUFFERED_BYTES_PER_ADDRESS: '2097152' }).bufferedShares).toEqual({ perClient: 1_048_576, perAddress: 2_097_152 });
    expect(loadConfig({ MAX_CONNECTIONS: '3' }).server.maxConnectionsPerAddress).toBe(1);
    expect(loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '1024' }).server.maxConnectionsPerAddress).toBe(1024);
    expect(() => loadConfig({ MAX_BUFFERED_BYTES: '2097152', MAX_BUFFERED_BYTES_PER_CLIENT: '4194304' })).toThrow(/MAX_BUFFERED_BYTES_PER_CLIENT \(4194304\) must not exceed MAX_BUFFERED_BYTES \(2097152\)/);
    expect(() => loadConfig({ MAX_BUFFERED_BYTES_PER_ADDRESS: '10' })).toThrow(/MAX_BUFFERED_BYTES_PER_ADDRESS must be an integer/);
    expect(() => loadConfig({ MAX_CONNECTIONS: '10', MAX_CONNECTIONS_PER_ADDRESS: '11' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS \(11\) must not exceed MAX_CONNECTIONS \(10\)/);
  });

  it('reads the paid API concurrency bounds', () => {
    expect(loadConfig({ EKYCPRO_MAX_CONCURRENCY: '3', EKYCPRO_MAX_QUEUE: '0' }).ekycpro).toMatchObject({ maxConcurrency: 3, maxQueue: 0 });
    expect(() => loadConfig({ EKYCPRO_MAX_CONCURRENCY: '0' })).toThrow(/EKYCPRO_MAX_CONCURRENCY/);
  });

  it('reads the image limits; the pixel limit may be lowered, not raised past 40 MP', () => {
    expect(loadConfig({ IMAGE_MAX_PIXELS: '12000000', IMAGE_MIN_SIDE: '200', IMAGE_MAX_ASPECT: '3' }).imageLimits).toEqual({
      maxPixels: 12_000_000,
      minSide: 200,
      maxAspect: 3,
    });
    expect(() => loadConfig({ IMAGE_MAX_PIXELS: '40000001' })).toThrow(/IMAGE_MAX_PIXELS must be an integer in \[4096, 40000000\]/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      KTP_PROVIDER: ' EKYCPRO ',
      EKYCPRO_URL: 'http://127.0.0.1:9999/v1/id_ocr/general',
      EKYCPRO_API_KEY: ' secret ',
      EKYCPRO_TIMEOUT_MS: '500',
      EKYCPRO_RETRIES: '0',
      EKYCPRO_BREAKER_THRESHOLD: '2',
      EKYCPRO_BREAKER_COOLDOWN_MS: '0',
      LOCAL_OCR_WORKERS: '3',
      LOCAL_OCR_MAX_QUEUE: '0',
      CACHE_MAX_BYTES: '0',
      CACHE_TTL_SECONDS: '60',
      MAX_REQUEST_BYTES: '4096',
      MAX_RECOGNITIONS_PER_OPERATION: '1',
      GRAPHIQL: 'false',
      REST_API_KEYS: ' a, b ,,c ',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      provider: 'ekycpro',
      ekycpro: { url: 'http://127.0.0.1:9999/v1/id_ocr/general', apiKey: 'secret', timeoutMs: 500, retries: 0, breakerThreshold: 2, breakerCooldownMs: 0 },
      local: { workers: 3, maxQueue: 0 },
      cache: { maxBytes: 0, ttlSeconds: 60 },
      maxRequestBytes: 4096,
      maxRecognitionsPerOperation: 1,
      graphiql: false,
      restApiKeys: ['a', 'b', 'c'],
    });
  });

  it('treats a blank API key as missing', () => {
    expect(loadConfig({ EKYCPRO_API_KEY: '   ' }).ekycpro.apiKey).toBeUndefined();
  });

  it('hides GraphiQL in production unless forced', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'yes' }).graphiql).toBe(true);
  });

  it('hides the review page in production unless forced, and turns it off with REVIEW_PAGE=false', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).reviewPage).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', REVIEW_PAGE: 'true' }).reviewPage).toBe(true);
    expect(loadConfig({ REVIEW_PAGE: 'false' }).reviewPage).toBe(false);
    expect(() => loadConfig({ REVIEW_PAGE: 'sometimes' })).toThrow(/REVIEW_PAGE/);
  });

  it('turns introspection, field suggestions and the subgraph path off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).ecosystem).toEqual({
      introspection: false,
      fieldSuggestions: false,
      subgraphPath: undefined,
      persistedQueries: true,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true', FIELD_SUGGESTIONS: '1', SUBGRAPH_PATH: '/internal/ktp', PERSISTED_QUERIES: 'no' }).ecosystem,
    ).toEqual({ introspection: true, fieldSuggestions: true, subgraphPath: '/internal/ktp', persistedQueries: false });
    expect(loadConfig({ SUBGRAPH_PATH: 'off' }).ecosystem.subgraphPath).toBeUndefined();
  });

  it.each([
    ['SUBGRAPH_PATH', '/graphql'],
    ['SUBGRAPH_PATH', 'subgraph'],
    ['SUBGRAPH_PATH', '/v1/id_ocr/general'],
    ['INTROSPECTION', 'sometimes'],
    ['FIELD_SUGGESTIONS', '2'],
    ['PERSISTED_QUERIES', 'redis'],
    ['KTP_PROVIDER', 'tesseract'],
    ['PORT', 'eighty'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['EKYCPRO_URL', 'not a url'],
    ['EKYCPRO_TIMEOUT_MS', '0'],
    ['EKYCPRO_TIMEOUT_MS', '1.5'],
    ['EKYCPRO_SETTLE_MS', '14999'],
    ['EKYCPRO_UNREADABLE_HOLD_SECONDS', '-1'],
    ['EKYCPRO_RETRIES', '11'],
    ['EKYCPRO_BREAKER_THRESHOLD', '0'],
    ['EKYCPRO_BREAKER_COOLDOWN_MS', '-5'],
    ['LOCAL_OCR_WORKERS', '0'],
    ['LOCAL_OCR_MAX_QUEUE', 'many'],
    ['CACHE_MAX_BYTES', '1e'],
    ['CACHE_TTL_SECONDS', '0'],
    ['MAX_REQUEST_BYTES', '100'],
    ['MAX_RECOGNITIONS_PER_OPERATION', '0'],
    ['GRAPHIQL', 'maybe'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).name).toBe('ConfigError');
    expect((caught as Error).message).toContain(name);
  });

  const KEY = 'ab'.repeat(32);

  it('reads the Redis block: URL, prefix, key ring, CACHE_REQUIRED, leases, the OCR queue', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      REDIS_PREFIX: 'ktp-staging',
      CACHE_ENCRYPTION_KEY: `${KEY}, ${Buffer.alloc(32, 7).toString('base64')}`,
      CACHE_REQUIRED: 'true',
      CACHE_MAX_VALUE_BYTES: '4096',
      COALESCE_LEASE_MS: '5000',
      COALESCE_WAIT_MS: '20000',
      OCR_QUEUE: 'redis',
      OCR_QUEUE_LOCK_MS: '2000',
      LOCAL_OCR_WORKERS: '0',
    });
    expect(config.redis).toMatchObject({ url: 'redis://127.0.0.1:6379/2', prefix: 'ktp-staging', required: true, maxValueBytes: 4096, leaseMs: 5000, waitMs: 20_000 });
    expect(config.redis.keys?.size).toBe(2);
    expect(config.ocrQueue).toEqual({ mode: 'redis', lockMs: 2000 });
    expect(config.local.workers).toBe(0);
  });

  it('refuses to start with REDIS_URL and no CACHE_ENCRYPTION_KEY, saying how to make one', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /REDIS_URL is set but CACHE_ENCRYPTION_KEY is not: .*openssl rand -hex 32/,
    );
  });

  it.each([
    [{ REDIS_URL: 'redis://127.0.0.1:6379', CACHE_ENCRYPTION_KEY: 'too-short-a-secret' }, /CACHE_ENCRYPTION_KEY: key 1 of 1 is not 32 bytes/],
    [{ REDIS_URL: 'http://127.0.0.1:6379', CACHE_ENCRYPTION_KEY: KEY }, /REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ OCR_QUEUE: 'redis' }, /OCR_QUEUE=redis needs REDIS_URL/],
    [{ OCR_QUEUE: 'kafka' }, /OCR_QUEUE must be "local" or "redis"/],
    [{ CACHE_REQUIRED: 'true' }, /CACHE_REQUIRED=true needs REDIS_URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379', CACHE_ENCRYPTION_KEY: KEY, LOCAL_OCR_WORKERS: '0' }, /LOCAL_OCR_WORKERS=0 is only valid with OCR_QUEUE=redis/],
  ])('refuses an inconsistent Redis setup: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the encryption key or the Redis password in an error', () => {
    const secret = 'hunter2-is-not-a-key';
    for (const env of [
      { REDIS_URL: 'redis://127.0.0.1:6379', CACHE_ENCRYPTION_KEY: `${KEY},${secret}` },
      { REDIS_URL: `ftp://user:${secret}@host` },
    ]) {
      try {
        loadConfig(env);
        expect.unreachable();
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });

  it('does not echo a malformed URL, which may carry credentials', () => {
    expect(() => loadConfig({ EKYCPRO_URL: 'http//user:pass@host' })).toThrow(/^EKYCPRO_URL must be an absolute URL$/);
  });
});

describe('access settings (issue 9)', () => {
  it('reads keys, limits, CORS origins and the cache scope', () => {
    const config = loadConfig({
      API_KEYS_FILE: '/etc/ktp/keys.json',
      ALLOW_ANONYMOUS: 'true',
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      RATE_LIMIT_PER_MINUTE: '60',
      PAID_CALLS_PER_DAY: '0',
      CACHE_SCOPE: 'shared',
    });
    expect(config.access).toEqual({
      jwt: undefined,
      apiKeysFile: '/etc/ktp/keys.json',
      allowAnonymous: true,
      production: true,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      requestsPerMinute: 60,
      paidCallsPerDay: 0,
    });
    expect(config.cache.scope).toBe('shared');
  });

  it.each([
    ['CACHE_SCOPE', 'global', /CACHE_SCOPE must be one of client, shared/],
    ['CORS_ORIGINS', '*', /CORS_ORIGINS must list origins/],
    ['CORS_ORIGINS', 'https://app.example.com/path', /CORS_ORIGINS must list origins/],
    ['RATE_LIMIT_PER_MINUTE', '0', /RATE_LIMIT_PER_MINUTE must be an integer/],
  ])('%s=%s is refused', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('JWT settings', () => {
  it('reads a JWKS URL or a PEM key, with issuer, audience and the client claim (default azp)', () => {
    expect(loadConfig({ JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json', JWT_ISSUER: 'https://idp.example/', JWT_AUDIENCE: 'ktp' }).access.jwt).toEqual({
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      publicKey: undefined,
      issuer: 'https://idp.example/',
      audience: 'ktp',
      clientClaim: 'azp',
      maxAgeSeconds: undefined,
    });
    const pem = '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----';
    expect(loadConfig({ JWT_PUBLIC_KEY: pem, JWT_CLIENT_CLAIM: 'client_id' }).access.jwt).toMatchObject({ publicKey: pem.replace(/\\n/g, '\n'), clientClaim: 'client_id' });
    expect(loadConfig({ JWT_PUBLIC_KEY: pem, JWT_MAX_AGE_SECONDS: '600' }).access.jwt?.maxAgeSeconds).toBe(600);
  });

  it.each([
    [{ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' }, /not both/],
    [{ JWT_PUBLIC_KEY: 'not a pem' }, /must be a PEM public key/],
    [{ JWT_AUDIENCE: 'ktp' }, /need JWT_JWKS_URL or JWT_PUBLIC_KEY/],
    [{ JWT_MAX_AGE_SECONDS: '600' }, /need JWT_JWKS_URL or JWT_PUBLIC_KEY/],
    [{ JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----', JWT_MAX_AGE_SECONDS: '0' }, /JWT_MAX_AGE_SECONDS must be an integer/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
