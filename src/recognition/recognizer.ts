import { MAX_IMAGE_BYTES } from '../contract.ts';
import { DEFAULT_IMAGE_LIMITS, validateImage, type ImageLimits, type ValidImage } from '../image/validate-image.ts';
import { ocrError, type ErrorOutcome, type Outcome, type ProviderOutcome } from '../outcome.ts';
import type { ImageInfo, KtpProvider } from '../providers/provider.ts';
import { CoalesceTimeoutError, createCoalescer, SharingUnavailableError, type Coalescer } from './coalesce.ts';
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
  /** The kept outcome for an image by its hash, if any: never calls the provider, never costs. */
  peek(contentHash: string): Promise<Outcome | undefined>;
  readonly provider: KtpProvider;
}

export interface RecognizerOptions {
  provider: KtpProvider;
  cache: KeyValueCache<ProviderOutcome>;
  /**
   * Shares one provider call between identical requests in flight. Default: per process
   * (`createCoalescer`); with Redis, across replicas (`createLeaseCoalescer`).
   */
  coalescer?: Coalescer<Flight>;
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

/** What one coalesced flight answers: the outcome, and whether it was found kept rather than paid for. */
export interface Flight {
  outcome: ProviderOutcome;
  fromCache: boolean;
}

export function createRecognizer({
  provider,
  cache,
  coalescer = createCoalescer<Flight>(),
  ttlSeconds,
  maxImageBytes = MAX_IMAGE_BYTES,
  imageLimits = DEFAULT_IMAGE_LIMITS,
  validate = (bytes, image) => validateImage(bytes, image, imageLimits),
}: RecognizerOptions): Recognizer {
  const setOptions = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };
  const keyOf = (hash: string | null) => `${provider.name}:${hash}`;

  return {
    provider,
    async peek(hash) {
      const kept = await cache.get(keyOf(hash));
      return kept && { ...kept, cached: true, contentHash: hash };
    },
    async recognize(bytes, { signal, contentHash: knownHash } = {}) {
      const hash = bytes.byteLength > 0 ? (knownHash ?? contentHash(bytes)) : null;
      const inspected = inspectImage(bytes, maxImageBytes);
      if (isErrorOutcome(inspected)) return { ...inspected, cached: false, contentHash: hash };
      const key = keyOf(hash);

      const kept = await cache.get(key);
      if (kept) return { ...kept, cached: true, contentHash: hash };

      let flight: { value: Flight; joined: boolean };
      try {
        flight = await coalescer.run(
          key,
          async (workSignal) => {
            // Checked again once this request leads the flight: an identical one (here or on
            // another replica) may have finished between the first look and now.
            const keptMeanwhile = await cache.get(key);
            if (keptMeanwhile) return { outcome: keptMeanwhile, fromCache: true };
            // Decoded after the cache (a kept answer was validated when it was made, and a hit must
            // stay fast) and inside the flight (50 identical uploads decode once). Nothing that
            // does not decode reaches a provider; the refusal is free and never kept.
            const image = await validate(bytes, inspected);
            if (isErrorOutcome(image)) return { outcome: image, fromCache: false };
            const outcome = await provider.recognize(bytes, image, workSignal);
            // Kept even when every caller has gone: a paid answer must not be paid for again.
            if (isWorthKeeping(outcome)) await cache.set(key, outcome, setOptions);
            return { outcome, fromCache: false };
          },
          signal,
        );
      } catch (error) {
        return { ...notShared(error), cached: false, contentHash: hash };
      }
      return { ...flight.value.outcome, cached: flight.joined || flight.value.fromCache, contentHash: hash };
    },
  };
}

/** The free, retryable answers for a flight that could not be run or joined; anything else is a bug and thrown. */
function notShared(error: unknown): ProviderOutcome {
  if (error instanceof CoalesceTimeoutError) {
    return ocrError('INNER_ERROR', 'an identical image is being recognised by another gateway replica; retry shortly', { retryable: true, charged: false });
  }
  if (error instanceof SharingUnavailableError) {
    return ocrError('UPSTREAM_UNAVAILABLE', 'the shared cache is unreachable and is required before a paid call; retry shortly', { retryable: true, charged: false });
  }
  throw error;
}
