import { MAX_IMAGE_BYTES } from '../contract.ts';
import type { Outcome, ProviderOutcome } from '../outcome.ts';
import type { KtpProvider } from '../providers/provider.ts';
import { DEFAULT_IMAGE_LIMITS, validateImage, type ImageLimits, type ValidImage } from '../image/validate-image.ts';
import type { ErrorOutcome } from '../outcome.ts';
import type { ImageInfo } from '../providers/provider.ts';
import { createCoalescer } from './coalesce.ts';
import { contentHash } from './content-hash.ts';
import { inspectImage, isErrorOutcome } from './inspect-image.ts';
import type { KeyValueCache } from './key-value-cache.ts';

/**
 * The one door to recognition, shared by the GraphQL resolver, the REST contract endpoint and
 * the CLI. It is the only place that knows about hashing, caching, coalescing and charges:
 * bad input is answered before the provider, a charged answer is never paid for twice.
 */
export interface Recognizer {
  recognize(bytes: Uint8Array, options?: { signal?: AbortSignal; contentHash?: string }): Promise<Outcome>;
  readonly provider: KtpProvider;
}

export interface RecognizerOptions {
  provider: KtpProvider;
  cache: KeyValueCache<ProviderOutcome>;
  /** How long a kept outcome lives, in seconds. Default: the cache's own default. */
  ttlSeconds?: number;
  /** Images larger than this are refused before the provider. Default 2 MiB, the contract's limit. */
  maxImageBytes?: number;
  /** Pixel bounds every image must meet, after it decodes, before the provider. Default `DEFAULT_IMAGE_LIMITS`. */
  imageLimits?: ImageLimits;
  /** The decode-and-check step. Default `validateImage` with `imageLimits`; injected by tests that count decodes. */
  validate?: (bytes: Uint8Array, image: ImageInfo) => Promise<ValidImage | ErrorOutcome>;
}

/**
 * Whether an outcome is kept for the next upload of the same bytes: everything somebody paid for,
 * whatever its shape (an OK without a usable identity is charged too), and the answers that will
 * not change for the same bytes (a recognition, a FAIL). Free refusals and "try again" answers
 * are never kept, so a retry can succeed.
 */
export function isWorthKeeping(outcome: ProviderOutcome): boolean {
  return outcome.charged || outcome.kind === 'identity' || outcome.code === 'FAIL';
}

export function createRecognizer({
  provider,
  cache,
  ttlSeconds,
  maxImageBytes = MAX_IMAGE_BYTES,
  imageLimits = DEFAULT_IMAGE_LIMITS,
  validate = (bytes, image) => validateImage(bytes, image, imageLimits),
}: RecognizerOptions): Recognizer {
  const inFlight = createCoalescer<ProviderOutcome>();
  const setOptions = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };

  return {
    provider,
    async recognize(bytes, { signal, contentHash: knownHash } = {}) {
      const hash = bytes.byteLength > 0 ? (knownHash ?? contentHash(bytes)) : null;
      const inspected = inspectImage(bytes, maxImageBytes);
      if (isErrorOutcome(inspected)) return { ...inspected, cached: false, contentHash: hash };
      const key = `${provider.name}:${hash}`;

      const kept = await cache.get(key);
      if (kept) return { ...kept, cached: true, contentHash: hash };

      const { value, joined } = await inFlight.run(
        key,
        async (workSignal) => {
          // Decoded after the cache (a kept answer was validated when it was made, and a hit must
          // stay fast) and inside the flight (50 identical uploads decode once). Nothing that
          // does not decode reaches a provider; the refusal is free and never kept.
          const image = await validate(bytes, inspected);
          if (isErrorOutcome(image)) return image;
          const outcome = await provider.recognize(bytes, image, workSignal);
          // Kept even when every caller has gone: a paid answer must not be paid for again.
          if (isWorthKeeping(outcome)) await cache.set(key, outcome, setOptions);
          return outcome;
        },
        signal,
      );
      return { ...value, cached: joined, contentHash: hash };
    },
  };
}
