import { CONTRACT_FIELD_KEYS, CONTRACT_MESSAGES, isContractErrorStatus } from '../../contract.ts';
import type { RawKtpFields } from '../../ktp/raw-fields.ts';
import { ocrError, type ProviderOutcome } from '../../outcome.ts';

/**
 * Turns whatever the paid API answered into an outcome. The contract promises HTTP 200 with a
 * `{ status, message }` JSON body; the world also sends 5xx HTML pages, truncated JSON and
 * statuses nobody documented. Only a recognisable contract answer is trusted; everything else
 * is `UPSTREAM_UNAVAILABLE`.
 */
export function parseContractAnswer(httpStatus: number, bodyText: string): ProviderOutcome {
  // Every contract answer, charged ones included, is a 200: a 200 we cannot read may be a
  // charged OK cut short (`{"status":"OK","message":{"id":`), so it is one that may have cost.
  const success = httpStatus >= 200 && httpStatus < 300;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return success ? unreadable('the OCR upstream answered something that is not JSON') : unavailable(`the OCR upstream answered HTTP ${httpStatus}`);
  }
  if (!isRecord(body) || typeof body.status !== 'string') {
    const message = `the OCR upstream answered HTTP ${httpStatus} without a status`;
    return success ? unreadable(message) : unavailable(message);
  }
  const status = body.status;
  if (status === 'OK') return parseIdentity(body.message);
  if (!isContractErrorStatus(status)) {
    return unavailable('the OCR upstream answered a status outside its contract');
  }
  const message = typeof body.message === 'string' && body.message.trim() ? body.message : CONTRACT_MESSAGES[status];
  return ocrError(status, message);
}

function parseIdentity(message: unknown): ProviderOutcome {
  // An OK is charged even when its message is unusable. It is answered as the charged "no
  // identity" status, FAIL, and kept like one: sending the same bytes again must not pay again.
  if (!isRecord(message) || !asText(message.id).trim()) {
    return ocrError('FAIL', 'the OCR upstream answered OK (charged) without an identity', { charged: true, retryable: false });
  }
  const fields = {} as RawKtpFields;
  for (const key of CONTRACT_FIELD_KEYS) fields[key] = asText(message[key]);
  return { kind: 'identity', fields, charged: true };
}

/**
 * "maybe empty": absent, null or a number where a string was promised all read as text or ''.
 * Strings are kept verbatim (untrimmed): the contract endpoint passes them on exactly as received.
 */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function unavailable(message: string): ProviderOutcome {
  return ocrError('UPSTREAM_UNAVAILABLE', message, { charged: false, retryable: true });
}

/** An answer that may have been charged but could not be read: free to the client, never re-sent for a while. */
export function unreadable(message: string): ProviderOutcome {
  return ocrError('UPSTREAM_UNAVAILABLE', `${message}; it may have been charged`, { charged: false, retryable: true, maybeCharged: true });
}
