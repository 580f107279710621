import { createHash } from 'node:crypto';
import { createProviderEvents, type KtpProvider } from '../provider.ts';
import { ocrError, type ErrorOutcome, type ProviderOutcome } from '../../outcome.ts';
import { createCircuitBreaker, type CallResult, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { createConcurrencyLimit } from '../../limit-concurrency.ts';
import { parseContractAnswer, unavailable, unreadable } from './parse-answer.ts';
import { DEFAULT_SETTLE_MS, postImage, type PostResult } from './post-image.ts';
import { withRetry } from './retry.ts';

export interface EkycproProviderOptions {
  /** The contract endpoint, e.g. `https://api.ekycpro.com/v1/id_ocr/general` or a ktp-gateway's own. */
  url: string;
  /** Sent as `X-API-Key`; undefined makes every recognition answer a clear error without a call. */
  apiKey: string | undefined;
  /**
   * How long a caller waits for an answer, in ms (`answerWithinMs`; the recognizer answers "retry"
   * after it while the call goes on). Default 15000.
   */
  timeoutMs?: number;
  /**
   * Bound on one exchange with the upstream, in ms, however long its callers wait. Default
   * `DEFAULT_SETTLE_MS` (or `timeoutMs` if that is longer); below `timeoutMs`, callers wait for the whole call.
   */
  settleMs?: number;
  /** Extra attempts after an `INNER_ERROR` answer. Default 2. */
  retries?: number;
  /** Delay before retry n, in ms. Default exponential from 200 ms with jitter. */
  backoffMs?: (attempt: number) => number;
  breaker?: CircuitBreakerOptions;
  /** Calls open at the upstream at once. Default 16. */
  maxConcurrency?: number;
  /** Recognitions waiting for a call slot; beyond it the answer is a free, retryable "busy" INNER_ERROR. Default 64. */
  maxQueue?: number;
  fetch?: typeof globalThis.fetch;
}

/** INNER_ERROR is the contract's own free "try again later"; the local engine answers the same when busy. */
const BUSY_MESSAGE = 'the OCR upstream is busy with other requests, retry shortly';

/**
 * The paid REST API as a provider. Retries only what is certain to be free (an `INNER_ERROR`
 * answer); a request whose outcome is unknown (no answer after the upload) is never sent again,
 * since it may have been charged.
 */
export function createEkycproProvider(options: EkycproProviderOptions): KtpProvider {
  const breaker = createCircuitBreaker(options.breaker);
  const now = options.breaker?.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const settleMs = options.settleMs ?? Math.max(DEFAULT_SETTLE_MS, timeoutMs);
  const limit = createConcurrencyLimit({ max: options.maxConcurrency ?? 16, maxQueue: options.maxQueue ?? 64 });
  // Busy answers are not retried here: waiting again would only lengthen the queue it was refused from.
  const busyAnswers = new WeakSet<ProviderOutcome>();
  const events = createProviderEvents();
  let breakerState = breaker.state;
  // Transitions only, however they happened (a failure, a cooldown ending, a trial).
  const noteBreaker = () => {
    if (breaker.state === breakerState) return;
    breakerState = breaker.state;
    events.emit({ type: 'breaker', state: breakerState });
  };

  async function attempt(bytes: Uint8Array, apiKey: string, signal: AbortSignal | undefined): Promise<ProviderOutcome> {
    // One slot per exchange: at most `maxConcurrency` calls are ever open at the upstream.
    const release = await limit.acquire(signal);
    if (!release) {
      const busy: ErrorOutcome = ocrError('INNER_ERROR', BUSY_MESSAGE, { charged: false, retryable: true });
      busyAnswers.add(busy);
      return busy;
    }
    try {
      const allowed = breaker.tryAcquire();
      noteBreaker();
      if (!allowed) {
        return unavailable('the OCR upstream is failing; not calling it for a short while (circuit open)');
      }
      const startedAt = now();
      const result = await postImage(bytes, { url: options.url, apiKey, timeoutMs: settleMs, fetch: options.fetch });
      const outcome = result.kind === 'answered' ? withoutKey(parseContractAnswer(result.httpStatus, result.bodyText), apiKey) : noAnswer(result, settleMs);
      breaker.record(healthOf(result, outcome, bytes, startedAt));
      noteBreaker();
      events.emit({
        type: 'upstream-call',
        status: result.kind === 'answered' ? (outcome.kind === 'identity' ? 'OK' : outcome.code) : 'NO_ANSWER',
        seconds: (now() - startedAt) / 1000,
      });
      return outcome;
    } finally {
      release();
    }
  }

  return {
    name: 'ekycpro',
    paid: true,
    answerWithinMs: timeoutMs,
    isReady: () => options.apiKey !== undefined,
    onEvent: events.on,
    async recognize(bytes, _image, signal) {
      const apiKey = options.apiKey;
      if (!apiKey) {
        return ocrError('UPSTREAM_UNAVAILABLE', 'KTP_PROVIDER=ekycpro needs EKYCPRO_API_KEY; it is not set', {
          charged: false,
          retryable: false,
        });
      }
      let attempts = 0;
      return withRetry(
        () => {
          if (attempts++ > 0) events.emit({ type: 'retry' });
          return attempt(bytes, apiKey, signal);
        },
        (outcome) => outcome.kind === 'error' && outcome.code === 'INNER_ERROR' && !busyAnswers.has(outcome),
        { retries: options.retries ?? 2, backoffMs: options.backoffMs, signal },
      );
    },
  };
}

/** A call that settled without an answer we could read; one whose answer had begun may have been charged. */
function noAnswer(result: Extract<PostResult, { kind: 'no-answer' }>, settleMs: number): ProviderOutcome {
  const what = result.reason === 'timeout' ? `the OCR upstream did not answer within ${settleMs} ms` : 'the OCR upstream could not be reached';
  if (result.answerStarted) return unreadable(`${what} (its answer was cut off)`);
  return ocrError('UPSTREAM_UNAVAILABLE', `${what}${result.maybeCharged ? '; the request may have been charged' : ''}`, { charged: false, retryable: true });
}

/**
 * What a call says about the upstream's health, for the circuit breaker: only "it is down" counts
 * (5xx, the contract's INNER_ERROR, no connection), and a timeout as one image's. Any other answer,
 * a 4xx or a FAIL included, shows it is up; those are about the request, not the upstream.
 */
function healthOf(result: PostResult, outcome: ProviderOutcome, bytes: Uint8Array, startedAt: number): CallResult {
  if (result.kind === 'no-answer') {
    if (result.reason === 'network') return { ok: false, cause: 'down' };
    // Hashed only here, on the rare timeout: the key says which image it was, nothing more.
    return { ok: false, cause: 'timeout', key: createHash('sha256').update(bytes).digest('hex'), startedAt };
  }
  if (result.httpStatus >= 500) return { ok: false, cause: 'down' };
  if (outcome.kind === 'error' && outcome.code === 'INNER_ERROR') return { ok: false, cause: 'down' };
  return { ok: true };
}

/**
 * Upstream error messages are passed to clients verbatim, and an API may echo the key it refused
 * ("invalid X-API-Key: sk-…"). The key must never reach a client or a log, so it is cut out here,
 * at the one place where the key and the upstream's words meet.
 */
function withoutKey(outcome: ProviderOutcome, apiKey: string): ProviderOutcome {
  if (outcome.kind !== 'error' || !outcome.message.includes(apiKey)) return outcome;
  return { ...outcome, message: outcome.message.split(apiKey).join('[redacted]') };
}
