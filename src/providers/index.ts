import type { GatewayConfig } from '../config.ts';
import { createEkycproProvider } from './ekycpro/index.ts';
import type { KtpProvider } from './provider.ts';

/**
 * The provider the configuration asks for. The local engine is imported only when chosen, so a
 * gateway in front of the paid API never loads the OCR models.
 */
export async function createProvider(
  config: Pick<GatewayConfig, 'provider' | 'ekycpro' | 'local'> & Partial<Pick<GatewayConfig, 'redis' | 'ocrQueue'>>,
  { log = () => {} }: { log?: (line: string) => void } = {},
): Promise<KtpProvider> {
  if (config.provider === 'ekycpro') {
    return createEkycproProvider({
      url: config.ekycpro.url,
      apiKey: config.ekycpro.apiKey,
      timeoutMs: config.ekycpro.timeoutMs,
      settleMs: config.ekycpro.settleMs,
      retries: config.ekycpro.retries,
      breaker: { threshold: config.ekycpro.breakerThreshold, cooldownMs: config.ekycpro.breakerCooldownMs },
      maxConcurrency: config.ekycpro.maxConcurrency,
      maxQueue: config.ekycpro.maxQueue,
    });
  }
  if (config.ocrQueue?.mode === 'redis' && config.redis?.url && config.redis.keys) {
    return createFleetProvider({ ...config, redis: { ...config.redis, url: config.redis.url, keys: config.redis.keys }, ocrQueue: config.ocrQueue }, log);
  }
  const { createLocalProvider } = await import('./local/index.ts');
  const local = createLocalProvider({ poolSize: config.local.workers, maxQueue: config.local.maxQueue });
  // Warm up in the background: the server listens at once and /readyz says when the engine is warm.
  local.warmUp().catch(() => {});
  return local;
}

/**
 * `OCR_QUEUE=redis`: recognitions go on the shared queue. Unless `LOCAL_OCR_WORKERS=0`, this
 * process also serves the queue with its own engine, like any `ktp-gateway worker`.
 */
async function createFleetProvider(
  config: Pick<GatewayConfig, 'local' | 'ocrQueue'> & { redis: GatewayConfig['redis'] & { url: string; keys: NonNullable<GatewayConfig['redis']['keys']> } },
  log: (line: string) => void,
): Promise<KtpProvider> {
  const { createQueuedLocalProvider } = await import('./local/queue.ts');
  const queued = createQueuedLocalProvider({
    url: config.redis.url,
    prefix: config.redis.prefix,
    keys: config.redis.keys,
    maxWaiting: config.local.maxQueue,
    waitMs: config.redis.waitMs,
  });
  if (config.local.workers === 0) return queued;
  const { startQueueWorker } = await import('./local/queue-worker.ts');
  const starting = startQueueWorker({
    url: config.redis.url,
    prefix: config.redis.prefix,
    keys: config.redis.keys,
    poolSize: config.local.workers,
    lockMs: config.ocrQueue.lockMs,
    log,
  });
  // Warm up in the background, as the in-process engine does; /readyz counts it once it serves the queue.
  starting.catch((error: unknown) => log(`ktp-gateway: the in-process OCR worker did not start: ${error instanceof Error ? error.message : String(error)}`));
  return {
    name: 'local',
    isReady: () => queued.isReady(),
    readinessDetails: () => queued.readinessDetails(),
    recognize: (bytes, image, signal) => queued.recognize(bytes, image, signal),
    async close() {
      await queued.close();
      await (await starting.catch(() => undefined))?.close();
    },
  };
}
