import type { KtpProvider } from '../provider.ts';
import { ocrError, type ProviderOutcome } from '../../outcome.ts';
import { createCircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { parseContractAnswer, unavailable } from './parse-answer.ts';
import { postImage } from './post-image.ts';
import { withRetry } from './retry.ts';

export interface EkycproProviderOptions {
  /** The contract endpoint, e.g. `https://api.ekycpro.com/v1/id_ocr/general` or a ktp-gateway's own. */
  url: string;
  /** Sent as `X-API-Key`; undefined makes every recognition answer a clear error without a call. */
  apiKey: string | undefined;
  /** Bound on one exchange with the upstream, in ms. Default 15000. */
  timeoutMs?: number;
  /** Extra attempts after an `INNER_ERROR` answer. Default 2. */
  retries?: number;
  /** Delay before retry n, in ms. Default exponential from 200 ms with jitter. */
  backoffMs?: (attempt: number) => number;
  breaker?: CircuitBreakerOptions;
  fetch?: typeof globalThis.fetch;
}

/**
 * The paid REST API as a provider. Retries only what is certain to be free (an `INNER_ERROR`
 * answer); a request whose outcome is unknown (no answer after the upload) is never sent again,
 * since it may have been charged.
 */
export function createEkycproProvider(options: EkycproProviderOptions): KtpProvider {
  const breaker = createCircuitBreaker(options.breaker);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function attempt(bytes: Uint8Array, apiKey: string): Promise<ProviderOutcome> {
    if (!breaker.tryAcquire()) {
      return unavailable('the OCR upstream is failing; not calling it for a short while (circuit open)');
    }
    const result = await postImage(bytes, { url: options.url, apiKey, timeoutMs, fetch: options.fetch });
    const outcome =
      result.kind === 'answered'
        ? withoutKey(parseContractAnswer(result.httpStatus, result.bodyText), apiKey)
        : ocrError(
            'UPSTREAM_UNAVAILABLE',
            result.reason === 'timeout'
              ? `the OCR upstream did not answer within ${timeoutMs} ms${result.maybeCharged ? '; the request may have been charged' : ''}`
              : `the OCR upstream could not be reached${result.maybeCharged ? '; the request may have been charged' : ''}`,
            { charged: false, retryable: true },
          );
    breaker.record(!(outcome.kind === 'error' && (outcome.code === 'UPSTREAM_UNAVAILABLE' || outcome.code === 'INNER_ERROR')));
    return outcome;
  }

  return {
    name: 'ekycpro',
    isReady: () => options.apiKey !== undefined,
    async recognize(bytes, _image, signal) {
      const apiKey = options.apiKey;
      if (!apiKey) {
        return ocrError('UPSTREAM_UNAVAILABLE', 'KTP_PROVIDER=ekycpro needs EKYCPRO_API_KEY; it is not set', {
          charged: false,
          retryable: false,
        });
      }
      return withRetry(
        () => attempt(bytes, apiKey),
        (outcome) => outcome.kind === 'error' && outcome.code === 'INNER_ERROR',
        { retries: options.retries ?? 2, backoffMs: options.backoffMs, signal },
      );
    },
  };
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
