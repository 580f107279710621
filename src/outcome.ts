/**
 * The one value carried from a provider to the resolvers and the REST endpoint. The GraphQL union
 * `KtpIdentity | OcrError` and the REST contract's JSON are two printings of it.
 *
 * It lives apart from both `providers/` (which produce it) and `recognition/` (which caches it),
 * so that neither of them depends on the other's internals.
 */
import type { ContractErrorStatus } from './contract.ts';
import type { FieldBoxes, FieldConfidence, RawKtpFields } from './ktp/raw-fields.ts';

/**
 * The upstream contract's error statuses verbatim, plus our own: "we could not get an answer",
 * and the two spend limits (a client's requests per minute, its paid calls per day), both free.
 */
export const OCR_ERROR_CODES = [
  'FAIL',
  'INVALID_REQUEST',
  'IMAGE_INVALID_FORMAT',
  'IMAGE_INVALID_SIZE',
  'INNER_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
] as const satisfies readonly (ContractErrorStatus | string)[];
export type OcrErrorCode = (typeof OCR_ERROR_CODES)[number];

export interface IdentityOutcome {
  kind: 'identity';
  fields: RawKtpFields;
  confidence?: FieldConfidence;
  /** Where each field was read, in the source image's pixels (the local engine; the paid API says nothing). */
  boxes?: FieldBoxes;
  /** True when somebody paid for this answer (the paid provider's OK). */
  charged: boolean;
}

export interface ErrorOutcome {
  kind: 'error';
  code: OcrErrorCode;
  message: string;
  /** True when the paid API charged for this answer (a FAIL, or an OK it sent without usable data). */
  charged: boolean;
  /** True when the same request may succeed later (overload, upstream trouble, a limit). */
  retryable: boolean;
  /** When a limit refused it: seconds until the same request is allowed again. */
  retryAfterSeconds?: number;
  /**
   * True when the paid API may have charged for an answer we could not read (a truncated or
   * non-JSON 200, a connection cut mid-body): `charged` cannot say, so it stays false, and the
   * image is not sent again for a while (the recognizer's unreadable hold).
   */
  maybeCharged?: boolean;
}

/** What a provider answers. */
export type ProviderOutcome = IdentityOutcome | ErrorOutcome;

/** What the recognizer answers: the provider's outcome plus where it came from. */
export type Outcome = ProviderOutcome & {
  /** True when this answer was served from the cache (or shared with a request already in flight). */
  cached: boolean;
  /** SHA-256 hex of the image bytes; null when there were no bytes to hash. */
  contentHash: string | null;
};

export function ocrError(
  code: OcrErrorCode,
  message: string,
  options: { charged?: boolean; retryable?: boolean; retryAfterSeconds?: number; maybeCharged?: boolean } = {},
): ErrorOutcome {
  return {
    kind: 'error',
    code,
    message,
    charged: options.charged ?? code === 'FAIL',
    retryable: options.retryable ?? RETRYABLE_CODES.has(code),
    ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
    ...(options.maybeCharged ? { maybeCharged: true } : {}),
  };
}

const RETRYABLE_CODES = new Set<OcrErrorCode>(['INNER_ERROR', 'UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'QUOTA_EXCEEDED']);
