import type { KtpProvider } from '../providers/provider.ts';
import { createCoalescer } from './coalesce.ts';
import { contentHash } from './content-hash.ts';
import { inspectImage, isErrorOutcome, MAX_IMAGE_BYTES } from './inspect-image.ts';
import { isSettled, type Outcome, type ProviderOutcome } from './outcome.ts';
import type { OutcomeCache } from './outcome-cache.ts';

/**
 * The one door to recognition, shared by the GraphQL resolver, the REST contract endpoint and
 * the CLI. It is the only place that knows about hashing, caching, coalescing and charges:
 * bad input is answered before the provider, a settled answer is never paid for twice.
 */
export interface Recognizer {
  recognize(bytes: Uint8Array, options?: { signal?: AbortSignal; contentHash?: string }): Promise<Outcome>;
  readonly provider: KtpProvider;
}

export interface RecognizerOptions {
  provider: KtpProvider;
  cache: OutcomeCache;
  /** Images larger than this are refused before the provider. Default 2 MiB, the contract's limit. */
  maxImageBytes?: number;
}

export function createRecognizer({ provider, cache, maxImageBytes = MAX_IMAGE_BYTES }: RecognizerOptions): Recognizer {
  const inFlight = createCoalescer<ProviderOutcome>();

  return {
    provider,
    async recognize(bytes, { signal, contentHash: knownHash } = {}) {
      const hash = bytes.byteLength > 0 ? (knownHash ?? contentHash(bytes)) : null;
      const inspected = inspectImage(bytes, maxImageBytes);
      if (isErrorOutcome(inspected)) return { ...inspected, cached: false, contentHash: hash };
      const key = `${provider.name}:${hash}`;

      const kept = cache.get(key);
      if (kept) return { ...kept, cached: true, contentHash: hash };

      const { value, joined } = await inFlight.run(
        key,
        async (workSignal) => {
          const outcome = await provider.recognize(bytes, inspected, workSignal);
          // Kept even when every caller has gone: a paid answer must not be paid for again.
          if (isSettled(outcome)) cache.set(key, outcome);
          return outcome;
        },
        signal,
      );
      return { ...value, cached: joined, contentHash: hash };
    },
  };
}
