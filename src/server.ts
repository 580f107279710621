import { ApiKeysError } from './access/api-keys.ts';
import { createRedisUsageLedger } from './access/redis-usage-ledger.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createServer, type Server } from 'node:http';
import { createGateway, GRAPHQL_PATH, METRICS_PATH } from './gateway.ts';
import { createNodeServer } from './http/node-server.ts';
import { createProvider } from './providers/index.ts';
import { createSharedMemory } from './recognition/shared-memory.ts';
import { loadRegionTables } from './ktp/regions.ts';

/**
 * The process: configuration, the gateway, a socket and a graceful shutdown. The only module
 * that reads the environment (through config.ts) or handles signals.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Now, before the engine starts warming and the socket opens: this second of table reading
  // would otherwise stall the first answers and every request in flight with them.
  loadRegionTables();
  const log = (line: string) => console.warn(line);
  // With REDIS_URL: Redis behind a small memory cache, leases so that replicas pay once between
  // them, and persisted queries registered once for the whole fleet.
  const shared = config.redis.url
    ? createSharedMemory({
        redis: { ...config.redis, keys: config.redis.keys! },
        cache: config.cache,
        failClosed: config.redis.required && config.provider === 'ekycpro',
        log,
      })
    : undefined;
  const provider = await createProvider(config, { log });
  const gateway = createGateway({
    config,
    provider,
    cache: shared?.cache,
    coalescer: shared?.coalescer,
    persistedQueries: shared?.persistedQueries,
    readiness: shared ? [shared.readiness] : [],
    // Limits hold across replicas through the shared memory's connection.
    counters: shared ? { client: shared.link.client, prefix: config.redis.prefix } : undefined,
    // `ktpUsage` sums every replica's recognitions, counted over the same connection.
    usage: shared ? createRedisUsageLedger({ client: shared.link.client, prefix: config.redis.prefix, log }) : undefined,
  });
  // An open server in production is a bill anyone can run up: it has to be asked for by name.
  if (gateway.open && config.access.production && !config.access.allowAnonymous) {
    throw new ConfigError('NODE_ENV=production with no client keys: set API_KEYS_FILE (or REST_API_KEYS, JWT_JWKS_URL, JWT_PUBLIC_KEY), or ALLOW_ANONYMOUS=true to serve anyone who can reach the port');
  }
  const { server, shutdown } = createNodeServer(gateway.handler, config.server);

  let metricsServer: Server | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`ktp-gateway: ${signal}, finishing requests in flight`);
    // Idle and slow connections close at once; a recognition already received (it may be paid
    // for) is answered first. Exit 0 unless the grace period cut some of them off.
    metricsServer?.close();
    const startedAt = Date.now();
    const ended = await shutdown(config.server.shutdownGraceMs);
    // A paid call whose request was already told to retry is still worth keeping and counting.
    const outliving = await gateway.close({ drainMs: Math.max(0, config.server.shutdownGraceMs - (Date.now() - startedAt)) }).catch(() => 0);
    if (outliving > 0) console.error(`ktp-gateway: ${outliving} paid calls still running after ${config.server.shutdownGraceMs} ms were abandoned: their answers are not kept`);
    await shared?.close().catch(() => {});
    if (ended === 'forced') console.error(`ktp-gateway: requests still in flight after ${config.server.shutdownGraceMs} ms were cut off`);
    process.exit(ended === 'clean' && outliving === 0 ? 0 : 1);
  };
  // Before the socket opens and the line below announces it: a signal from then on is graceful.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Rotating a key needs no restart; a broken file leaves the last good keys in force.
  process.on('SIGHUP', () => {
    const reloaded = gateway.keys.reload();
    console.warn(reloaded.ok ? `ktp-gateway: SIGHUP: ${reloaded.clients} client keys loaded` : `ktp-gateway: SIGHUP: keys not reloaded, the last good ones stay in force: ${reloaded.reason}`);
  });

  await listen(server, config.port, config.host, 'PORT');
  // `/metrics` on a port of its own, for a scraper on a network clients do not reach.
  const metrics = gateway.metrics;
  metricsServer =
    config.observability.metricsPort !== undefined && metrics
      ? createServer((request, response) => {
          if (request.url !== METRICS_PATH) return void response.writeHead(404).end();
          void metrics.registry.metrics().then((text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
        })
      : undefined;
  if (metricsServer) {
    const listening = metricsServer;
    await listen(listening, config.observability.metricsPort!, config.host, 'METRICS_PORT');
    const metricsAddress = listening.address();
    console.log(`ktp-gateway: metrics on http://localhost:${typeof metricsAddress === 'object' && metricsAddress ? metricsAddress.port : config.observability.metricsPort}${METRICS_PATH}`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`ktp-gateway: provider "${provider.name}", GraphQL on http://localhost:${port}${GRAPHQL_PATH}, REST on http://localhost:${port}/v1/id_ocr/general`);
  if (gateway.open) {
    console.warn('ktp-gateway: open: no client keys (API_KEYS_FILE) configured, so anyone who can reach this port may recognise, and spend');
  }
  if (provider.name === 'ekycpro' && !config.ekycpro.apiKey) {
    console.warn('ktp-gateway: EKYCPRO_API_KEY is not set; recognitions will answer UPSTREAM_UNAVAILABLE until it is.');
  }
}

/** A port that cannot be had is a setting to change, said in one line: not a stack trace. */
class ListenError extends Error {}

function listen(server: Server, port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is in use' : error.code === 'EACCES' ? 'is not allowed for this user' : `cannot be opened (${error.code ?? error.message})`;
      reject(new ListenError(`port ${port} ${reason}: set ${setting}`));
    });
    server.listen(port, host, () => resolve());
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof ApiKeysError || error instanceof ListenError ? `ktp-gateway: ${error.message}` : error);
  process.exit(1);
});
