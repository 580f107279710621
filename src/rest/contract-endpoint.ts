import type { Authenticate } from '../access/authenticate.ts';
import { isRefusal, type Client } from '../access/client.ts';
import { CONTRACT_FIELD_KEYS, CONTRACT_MESSAGES, type ContractErrorStatus, type ContractStatus } from '../contract.ts';
import type { Outcome } from '../outcome.ts';
import type { Recognizer } from '../recognition/recognizer.ts';
import { BUSY_RETRY_AFTER_SECONDS, type ByteBudget, type LeaseOwner } from '../http/byte-budget.ts';
import { ABORTED, OVER_BUDGET, OVER_SHARE, readLimitedBody, TOO_LARGE } from '../http/limit-body.ts';
import { isCrossSiteRequest } from './cross-site.ts';
import { decodeImgParameter } from './decode-img.ts';

/** Says what to send: the contract's clients send `X-API-Key` already; a web page on another site may not call. */
const CROSS_SITE_MESSAGE = 'send X-API-Key (or Authorization); a cross-site browser request is refused unless its origin is in CORS_ORIGINS';

export interface ContractEndpointOptions {
  recognizer: Recognizer;
  /**
   * Who the request is from, by `X-API-Key` (the paid API's header) or `Authorization: Bearer`:
   * the same client keys as GraphQL. An open server (no keys) ignores the headers.
   */
  authenticate: Authenticate;
  /** Bodies larger than this are refused with 413 before they are buffered. */
  maxRequestBytes: number;
  /** The process-wide budget of buffered request bodies; a body it cannot hold is answered INNER_ERROR (busy). */
  bufferedBytes?: ByteBudget;
  /** `CORS_ORIGINS`: the sites whose pages may call cross-site (see `isCrossSiteRequest`); default none. */
  corsOrigins?: readonly string[] | undefined;
}

/**
 * `POST /v1/id_ocr/general`, the paid API's contract served by the gateway, so its existing
 * clients switch by changing a URL. It goes through the same recognizer as `recognizeKtp`: the
 * same image via REST then GraphQL is paid once.
 *
 * Every contract answer is HTTP 200, as the paid API answers them (clients written against it
 * branch on `status`, and some HTTP clients throw on 4xx); only refusals that happen before the
 * contract applies get another code: 401 (client key), 403 (a request a web page on another site
 * could send, see `isCrossSiteRequest`), 405 (method), 413 (body over the cap),
 * and 429 for a client over one of its limits (the body is then the contract's free
 * `INNER_ERROR`, its closest "try again later", with `Retry-After`).
 */
export function createContractEndpoint({ recognizer, authenticate, maxRequestBytes, bufferedBytes, corsOrigins }: ContractEndpointOptions) {
  return async function handleContractRequest(request: Request, authenticated?: Client, owner?: LeaseOwner): Promise<Response> {
    if (request.method !== 'POST') {
      return answer('INVALID_REQUEST', CONTRACT_MESSAGES.INVALID_REQUEST, { status: 405, headers: { allow: 'POST' } });
    }
    const client = authenticated ?? (await authenticate(request.headers));
    if (isRefusal(client)) return answer('INVALID_REQUEST', 'invalid X-API-Key', { status: 401 });
    // Before any work: no body read, nothing decoded, nothing charged.
    if (isCrossSiteRequest(request.headers, corsOrigins)) return answer('INVALID_REQUEST', CROSS_SITE_MESSAGE, { status: 403 });
    const contentType = request.headers.get('content-type')?.toLowerCase() ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return answer('INVALID_REQUEST', CONTRACT_MESSAGES.INVALID_REQUEST);
    }
    // Checked before the body is read: a refused client costs no buffering.
    const lease = bufferedBytes?.lease(owner);
    try {
      const body = await readLimitedBody(request, maxRequestBytes, lease);
      if (body === TOO_LARGE) {
        return answer('IMAGE_INVALID_SIZE', CONTRACT_MESSAGES.IMAGE_INVALID_SIZE, { status: 413, headers: { connection: 'close' } });
      }
      if (body === OVER_BUDGET) {
        // The contract's own free "try again later", as the paid API answers when it is overloaded.
        return answer('INNER_ERROR', CONTRACT_MESSAGES.INNER_ERROR, { headers: { connection: 'close', 'retry-after': BUSY_RETRY_AFTER_SECONDS } });
      }
      if (body === OVER_SHARE) {
        // This sender's own doing: a 429 as for its other limits, with the header naming which.
        return answer('INNER_ERROR', CONTRACT_MESSAGES.INNER_ERROR, {
          status: 429,
          headers: { connection: 'close', 'retry-after': BUSY_RETRY_AFTER_SECONDS, 'x-ktp-limit': 'UPLOADS_IN_FLIGHT' },
        });
      }
      if (body === ABORTED) return answer('INVALID_REQUEST', CONTRACT_MESSAGES.INVALID_REQUEST, { headers: { connection: 'close' } });
      const img = new URLSearchParams(new TextDecoder().decode(body)).get('img');
      const bytes = img ? decodeImgParameter(img) : null;
      if (!bytes || bytes.byteLength === 0) return answer('INVALID_REQUEST', CONTRACT_MESSAGES.INVALID_REQUEST);

      const outcome = await recognizer.recognize(bytes, { signal: request.signal, caller: client });
      return printOutcome(outcome);
    } finally {
      lease?.release();
    }
  };
}

function printOutcome(outcome: Outcome): Response {
  // Not part of the contract, so in headers that its clients ignore: what the answer cost.
  const headers = { 'x-ktp-cached': String(outcome.cached), 'x-ktp-charged': String(outcome.charged && !outcome.cached) };
  if (outcome.kind === 'identity') {
    // Exactly the documented keys, in the documented order and spelling; extras the local engine
    // reads (blood type, issue date, ...) are GraphQL-only, so strict clients see no surprise.
    const message: Record<string, string> = {};
    for (const key of CONTRACT_FIELD_KEYS) message[key] = outcome.fields[key];
    return Response.json({ status: 'OK', message }, { headers });
  }
  // UPSTREAM_UNAVAILABLE is ours, not the contract's: its clients know it as a server error, which
  // the contract documents as free (and they retry). When it was charged (an OK without a usable
  // identity), it is the charged status: FAIL, so the body does not contradict x-ktp-charged.
  if (outcome.code === 'RATE_LIMITED' || outcome.code === 'QUOTA_EXCEEDED') {
    return answer('INNER_ERROR', CONTRACT_MESSAGES.INNER_ERROR, {
      status: 429,
      headers: { ...headers, 'retry-after': String(outcome.retryAfterSeconds ?? 60), 'x-ktp-limit': outcome.code },
    });
  }
  const status: ContractErrorStatus =
    outcome.code === 'UPSTREAM_UNAVAILABLE' ? (outcome.charged ? 'FAIL' : 'INNER_ERROR') : outcome.code;
  // A call still running, or an unreadable answer held: when the same image is worth sending again.
  const retry: Record<string, string> = outcome.retryAfterSeconds === undefined ? {} : { 'retry-after': String(outcome.retryAfterSeconds) };
  return answer(status, CONTRACT_MESSAGES[status], { headers: { ...headers, ...retry } });
}

function answer(status: ContractStatus, message: string, init: ResponseInit = {}): Response {
  return Response.json({ status, message }, init);
}
