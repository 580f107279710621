import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.ts';
import { createGateway, GRAPHQL_PATH } from './gateway.ts';
import { createProvider } from './providers/index.ts';
import { createSharedMemory } from './recognition/shared-memory.ts';

/**
 * The process: configuration, the gateway, a socket and a graceful shutdown. The only module
 * that reads the environment (through config.ts) or handles signals.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.warn(line);
  // With REDIS_URL: Redis behind a small memory cache, and leases so that replicas pay once between them.
  const shared = config.redis.url
    ? createSharedMemory({
        redis: { ...config.redis, keys: config.redis.keys! },
        cache: config.cache,
        failClosed: config.redis.required && config.provider === 'ekycpro',
        log,
      })
    : undefined;
  const provider = await createProvider(config, { log });
  const gateway = createGateway({ config, provider, cache: shared?.cache, coalescer: shared?.coalescer, readiness: shared ? [shared.readiness] : [] });
  const server = createServer(gateway.handler);

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`ktp-gateway: provider "${provider.name}", GraphQL on http://localhost:${port}${GRAPHQL_PATH}, REST on http://localhost:${port}/v1/id_ocr/general`);
  if (provider.name === 'ekycpro' && !config.ekycpro.apiKey) {
    console.warn('ktp-gateway: EKYCPRO_API_KEY is not set; recognitions will answer UPSTREAM_UNAVAILABLE until it is.');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`ktp-gateway: ${signal}, finishing requests in flight`);
    // A recognition in flight may already be paid for: let it finish before closing the provider.
    server.close(() => {
      gateway
        .close()
        .then(() => shared?.close())
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 30_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `ktp-gateway: ${error.message}` : error);
  process.exit(1);
});
