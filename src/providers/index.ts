import type { GatewayConfig } from '../config.ts';
import { createEkycproProvider } from './ekycpro/index.ts';
import type { KtpProvider } from './provider.ts';

/**
 * The provider the configuration asks for. The local engine is imported only when chosen, so a
 * gateway in front of the paid API never loads the OCR models.
 */
export async function createProvider(config: Pick<GatewayConfig, 'provider' | 'ekycpro' | 'local'>): Promise<KtpProvider> {
  if (config.provider === 'ekycpro') {
    return createEkycproProvider({
      url: config.ekycpro.url,
      apiKey: config.ekycpro.apiKey,
      timeoutMs: config.ekycpro.timeoutMs,
      retries: config.ekycpro.retries,
      breaker: { threshold: config.ekycpro.breakerThreshold, cooldownMs: config.ekycpro.breakerCooldownMs },
      maxConcurrency: config.ekycpro.maxConcurrency,
      maxQueue: config.ekycpro.maxQueue,
    });
  }
  const { createLocalProvider } = await import('./local/index.ts');
  const local = createLocalProvider({ poolSize: config.local.workers, maxQueue: config.local.maxQueue });
  // Warm up in the background: the server listens at once and /readyz says when the engine is warm.
  local.warmUp().catch(() => {});
  return local;
}
