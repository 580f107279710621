/**
 * The one value carried from a provider to the resolvers and the REST endpoint.
 * The GraphQL union `KtpIdentity | OcrError` and the REST contract's JSON are two printings of it.
 */

/** The upstream contract's statuses verbatim, plus our own for "we could not get an answer". */
export const OCR_ERROR_CODES = [
  'FAIL',
  'INVALID_REQUEST',
  'IMAGE_INVALID_FORMAT',
  'IMAGE_INVALID_SIZE',
  'INNER_ERROR',
  'UPSTREAM_UNAVAILABLE',
] as const;
export type OcrErrorCode = (typeof OCR_ERROR_CODES)[number];

/**
 * Identity fields as a provider returns them, keyed and spelt as the paid REST contract spells them
 * (`id`, `pob`, `dob` as DD-MM-YYYY, `work`, `nationnality`), empty strings where unknown.
 * The contract endpoint prints these keys as they are; the schema normalises them.
 * The optional keys are printed on the card but absent from the paid API; the local engine reads them.
 */
export interface RawKtpFields {
  id: string;
  name: string;
  pob: string;
  dob: string;
  gender: string;
  address: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  city: string;
  province: string;
  religion: string;
  marital_status: string;
  work: string;
  nationnality: string;
  blood_type?: string;
  valid_until?: string;
  issue_city?: string;
  issue_date?: string;
}

/** The keys of the paid contract's OK message, in its documented order. */
export const CONTRACT_FIELD_KEYS = [
  'name',
  'id',
  'pob',
  'dob',
  'gender',
  'address',
  'rt',
  'rw',
  'village',
  'district',
  'religion',
  'marital_status',
  'work',
  'nationnality',
  'city',
  'province',
] as const satisfies readonly (keyof RawKtpFields)[];

/** A provider's confidence in each field it read, 0..1. Providers that do not know say nothing. */
export type FieldConfidence = Partial<Record<keyof RawKtpFields, number>>;

export interface IdentityOutcome {
  kind: 'identity';
  fields: RawKtpFields;
  confidence?: FieldConfidence;
  /** True when somebody paid for this answer (the paid provider's OK). */
  charged: boolean;
}

export interface ErrorOutcome {
  kind: 'error';
  code: OcrErrorCode;
  message: string;
  charged: boolean;
  /** True when the same request may succeed later (overload, upstream trouble). */
  retryable: boolean;
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

/**
 * The documented message of each status. Used wherever we answer a status ourselves
 * (validation before the upstream, the contract endpoint), so both speak the same words.
 */
export const CONTRACT_MESSAGES: Record<Exclude<OcrErrorCode, 'UPSTREAM_UNAVAILABLE'>, string> = {
  FAIL: 'check input image and retry',
  INVALID_REQUEST: 'check request params',
  IMAGE_INVALID_FORMAT: 'image format not support',
  IMAGE_INVALID_SIZE: 'image larger than 2M',
  INNER_ERROR: 'Service is not available right now, please try again later',
};

export function ocrError(
  code: OcrErrorCode,
  message: string,
  options: { charged?: boolean; retryable?: boolean } = {},
): ErrorOutcome {
  return {
    kind: 'error',
    code,
    message,
    charged: options.charged ?? code === 'FAIL',
    retryable: options.retryable ?? (code === 'INNER_ERROR' || code === 'UPSTREAM_UNAVAILABLE'),
  };
}

/**
 * An outcome that will not change if the same bytes are sent again: a recognition or a FAIL.
 * These are the ones worth keeping (and, with the paid provider, exactly the charged ones).
 */
export function isSettled(outcome: ProviderOutcome): boolean {
  return outcome.kind === 'identity' || outcome.code === 'FAIL';
}
