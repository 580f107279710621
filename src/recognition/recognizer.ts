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
  recognize(bytes: Uint8Array, options?: RecognizeOptions): Promise<Outcome>;
  /** The kept outcome for an image by its hash, if any (for `caller` under `CACHE_SCOPE=client`): never calls the provider, never costs. */
  peek(contentHash: string, caller?: Caller): Promise<Outcome | undefined>;
  /** Called once per recognition with where its answer came from; metrics, audit and usage attach here. Returns an unsubscribe function. */
  onOutcome(listener: (event: RecognitionEvent) => void): () => void;
  /**
   * Waits, up to `ms`, for the calls that outlived their requests' wait to settle (so that their
   * answers are kept and their charges counted before a shutdown). Resolves with how many still run.
   */
  drain(ms: number): Promise<number>;
  readonly provider: KtpProvider;
}

export interface RecognizeOptions {
  signal?: AbortSignal;
  contentHash?: string;
  /** Who is asking: their limits, their cache scope, their usage. Default: one anonymous caller. */
  caller?: Caller;
}

/** The recognizer's view of a client: an id for cache scope and counting, and its limits (see `SpendGate`). */
export interface Caller {
  id: string;
  requestsPerMinute?: number;
  paidCallsPerDay?: number;
}

const ANONYMOUS: Caller = { id: 'anonymous' };

/**
 * Where an answer came from: `cache` (kept), `coalesced` (shared with a request in flight),
 * `provider` (this request's own call), `pending` (the call outlived the provider's
 * `answerWithinMs`: answered "retry" while the call goes on), `refused` (before any provider: bad
 * input or a limit).
 */
export type OutcomeSource = 'cache' | 'coalesced' | 'provider' | 'pending' | 'refused';

/** One recognition, as hooks see it. Carries no image, no field value: only codes, counts, times. */
export interface RecognitionEvent {
  caller: Caller;
  source: OutcomeSource;
  outcome: Outcome;
  /** True when this request's own provider call was charged, or may have been (`maybeCharged`): a paid call. */
  paid: boolean;
  /**
   * True for a paid call that settled after its request had been answered `pending`: it counts as
   * a paid call (budget, usage, metrics, audit), not as another recognition.
   */
  late?: boolean;
  /** True for a paid call made without the fleet's lease (Redis down, paused or slow): another replica may have paid for the same image. */
  unshared?: boolean;
  /** Milliseconds from the recognizer's start to its answer. */
  durationMs: number;
  /** Milliseconds of the provider call, when this request made one. */
  providerMs?: number;
}

/**
 * The spend limits, injected (see src/access/spend-limits.ts), so the core counts nothing itself.
 * Both answers are free, typed refusals (`RATE_LIMITED`, `QUOTA_EXCEEDED`).
 */
export interface SpendGate {
  /** Before anything: may this caller send one more recognition now? */
  admit(caller: Caller): Promise<ErrorOutcome | undefined>;
  /** Just before a provider call that may be charged: holds one of the caller's paid calls, settled by the outcome. */
  reservePaidCall(caller: Caller): Promise<ErrorOutcome | { settle(charged: boolean): Promise<void> }>;
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
  /**
   * `CACHE_SCOPE`. `client` (the default): outcomes are kept and coalesced per caller, so one
   * client never learns (from `cached`, or from the speed of an answer) what another uploaded,
   * and each pays once per image. `shared`: one answer per image for everyone; saves the most.
   */
  cacheScope?: 'client' | 'shared';
  /** Requests per minute and paid calls per day. Default: none. */
  spend?: SpendGate;
  /**
   * How long an image whose paid answer could not be read (`maybeCharged`) is answered from memory,
   * free and retryable, instead of being sent again, in seconds; 0 sends it again at once.
   * Default `DEFAULT_UNREADABLE_HOLD_SECONDS`.
   */
  unreadableHoldSeconds?: number;
}

/** `EKYCPRO_UNREADABLE_HOLD_SECONDS`'s default: a quarter of an hour. */
export const DEFAULT_UNREADABLE_HOLD_SECONDS = 900;

/** A call that was charged, or may have been: it spends the caller's budget and is counted as paid. */
const mayHaveCost = (outcome: ProviderOutcome) => outcome.charged || (outcome.kind === 'error' && outcome.maybeCharged === true);

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
  /** Milliseconds of the provider call, when the flight made one. */
  providerMs?: number;
  /** True when the flight's call was made without the fleet's lease (see `FlightRun`). */
  unshared?: boolean;
}

export function createRecognizer({
  provider,
  cache,
  coalescer = createCoalescer<Flight>(),
  ttlSeconds,
  maxImageBytes = MAX_IMAGE_BYTES,
  imageLimits = DEFAULT_IMAGE_LIMITS,
  validate = (bytes, image) => validateImage(bytes, image, imageLimits),
  cacheScope = 'client',
  spend,
  unreadableHoldSeconds = DEFAULT_UNREADABLE_HOLD_SECONDS,
}: RecognizerOptions): Recognizer {
  const setOptions = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };
  // Under `client` scope the caller's id is part of the key, so neither the cache nor a flight
  // in progress is shared between clients.
  const keyOf = (hash: string | null, caller: Caller) =>
    cacheScope === 'client' ? `${provider.name}:c:${caller.id}:${hash}` : `${provider.name}:${hash}`;
  const listeners = new Set<(event: RecognitionEvent) => void>();
  // Flights whose callers were answered `pending`: nobody awaits them but `drain`.
  const outliving = new Set<Promise<unknown>>();
  const emit = (event: RecognitionEvent) => {
    // A listener's failure is its own: it never changes or loses an answer.
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {}
    }
  };
  // What an answer that may have cost but could not be read becomes: kept for the hold, and the
  // same free "retry" for everyone who sends the image again meanwhile.
  const held = (outcome: ErrorOutcome): ErrorOutcome => ({
    ...outcome,
    message: `${outcome.message}; this image is not sent to the paid API again for ${unreadableHoldSeconds} s`,
    retryAfterSeconds: unreadableHoldSeconds,
  });

  const recognize = async (bytes: Uint8Array, { signal, contentHash: knownHash, caller = ANONYMOUS }: RecognizeOptions = {}, retried = false): Promise<Outcome> => {
    const startedAt = performance.now();
    const hash = bytes.byteLength > 0 ? (knownHash ?? contentHash(bytes)) : null;
    const answer = (outcome: ProviderOutcome, source: OutcomeSource, cached: boolean, flight?: Flight, late = false): Outcome => {
      const answered: Outcome = { ...outcome, cached, contentHash: hash };
      const paid = source === 'provider' && mayHaveCost(outcome);
      const event: RecognitionEvent = { caller, source, outcome: answered, paid, durationMs: performance.now() - startedAt };
      if (flight?.providerMs !== undefined) event.providerMs = flight.providerMs;
      if (late) event.late = true;
      if (paid && flight?.unshared) event.unshared = true;
      emit(event);
      return answered;
    };
    const inspected = inspectImage(bytes, maxImageBytes);
    if (isErrorOutcome(inspected)) return answer(inspected, 'refused', false);
    const limited = await spend?.admit(caller);
    if (limited) return answer(limited, 'refused', false);
    const key = keyOf(hash, caller);

    const kept = await cache.get(key);
    if (kept) return answer(kept, 'cache', true);

    // This request's own call, if it leads the flight: who is told of its charge. If the call
    // settles before the caller stops waiting, the answer carries it; if after, a late event does.
    const own: { answered: boolean; settled?: Flight } = { answered: false };
    let flight: { value: Flight; joined: boolean } | undefined;
    let running: Promise<{ value: Flight; joined: boolean }> | undefined;
    try {
      running = coalescer.run(
        key,
        async (workSignal, run) => {
          // Checked again once this request leads the flight: an identical one (here or on
          // another replica) may have finished between the first look and now.
          const keptMeanwhile = await cache.get(key);
          if (keptMeanwhile) return { outcome: keptMeanwhile, fromCache: true };
          // Decoded after the cache (a kept answer was validated when it was made, and a hit must
          // stay fast) and inside the flight (50 identical uploads decode once). Nothing that
          // does not decode reaches a provider; the refusal is free and never kept.
          const image = await validate(bytes, inspected);
          if (isErrorOutcome(image)) return { outcome: image, fromCache: false };
          // Held before the call and given back unless it was charged: concurrent uploads of
          // distinct images cannot overshoot the day's budget.
          const reserved = spend && provider.paid ? await spend.reservePaidCall(caller) : undefined;
          if (reserved && 'kind' in reserved) return { outcome: reserved, fromCache: false };
          const callStartedAt = performance.now();
          let outcome: ProviderOutcome;
          try {
            outcome = await provider.recognize(bytes, image, workSignal, { client: caller.id });
          } catch (error) {
            await reserved?.settle(false);
            throw error;
          }
          const providerMs = performance.now() - callStartedAt;
          // The hold is settled only now, however long after its caller stopped waiting: a
          // call that may have cost spends the budget, one that settled with no answer frees it.
          await reserved?.settle(mayHaveCost(outcome));
          // Kept even when every caller has gone: a paid answer must not be paid for again.
          if (isWorthKeeping(outcome)) await cache.set(key, outcome, setOptions);
          else if (outcome.kind === 'error' && outcome.maybeCharged && unreadableHoldSeconds > 0) {
            outcome = held(outcome);
            await cache.set(key, outcome, { ttl: unreadableHoldSeconds });
          }
          const settled: Flight = { outcome, fromCache: false, providerMs, ...(run?.unshared ? { unshared: true } : {}) };
          if (own.answered) answer(outcome, 'provider', false, settled, true);
          else own.settled = settled;
          return settled;
        },
        signal,
      );
      // The wait ends at `answerWithinMs`, the call does not. The choice is made once, on the one
      // thread: a call that settled first is answered (its charge with it); otherwise the caller is
      // answered "retry" and the settlement reports itself, late.
      flight = await within(running, provider.answerWithinMs, () => (own.settled ? { value: own.settled, joined: false } : ((own.answered = true), undefined)));
    } catch (error) {
      return answer(notShared(error), 'refused', false);
    }
    if (!flight) {
      const settling: Promise<unknown> = running!.catch(() => {}).finally(() => outliving.delete(settling));
      outliving.add(settling);
      return answer(pending(provider.answerWithinMs ?? 0), 'pending', false);
    }
    const { outcome, fromCache, providerMs } = flight.value;
    // A flight led by another client (`shared` scope) that was over its own budget: this caller's
    // budget is its own, so it leads a flight of its own (once) instead of taking that refusal.
    if (flight.joined && outcome.kind === 'error' && outcome.code === 'QUOTA_EXCEEDED' && !retried) return recognize(bytes, { signal, contentHash: hash ?? undefined, caller }, true);
    if (flight.joined || fromCache) return answer(outcome, flight.joined ? 'coalesced' : 'cache', true);
    return answer(outcome, providerMs === undefined ? 'refused' : 'provider', false, flight.value);
  };

  return {
    provider,
    async peek(hash, caller = ANONYMOUS) {
      const kept = await cache.get(keyOf(hash, caller));
      return kept && { ...kept, cached: true, contentHash: hash };
    },
    recognize: (bytes, options) => recognize(bytes, options),
    async drain(ms) {
      if (outliving.size === 0) return 0;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...outliving]), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
      return outliving.size;
    },
    onOutcome(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * `running`, or what `onTimeout` says once `ms` have passed (undefined: stop waiting). A run that
 * outlives its caller still settles; its rejection is then nobody's and is dropped.
 */
async function within<T>(running: Promise<T>, ms: number | undefined, onTimeout: () => T | undefined): Promise<T | undefined> {
  if (ms === undefined) return running;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T | undefined>((resolve) => {
    timer = setTimeout(() => {
      const value = onTimeout();
      if (value === undefined) running.catch(() => {});
      resolve(value);
    }, ms);
  });
  try {
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The answer to a caller whose wait ended while the provider call goes on. */
function pending(waitedMs: number): ProviderOutcome {
  return ocrError(
    'UPSTREAM_UNAVAILABLE',
    `the OCR upstream has not answered within ${waitedMs} ms; the call goes on and its answer will be kept: send the same image again shortly`,
    { charged: false, retryable: true, retryAfterSeconds: Math.max(1, Math.ceil(waitedMs / 1000)) },
  );
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
