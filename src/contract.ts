/**
 * The paid KTP OCR API's contract (docs/ekycpro-contract.md): its route, statuses, messages and the
 * keys of its OK answer. One module for both sides of it: `providers/ekycpro/` calls it and
 * `rest/` serves it, so they cannot drift apart.
 */
import type { RawKtpFields } from './ktp/raw-fields.ts';

/** The route, as the paid API serves it; ktp-gateway serves the same one. */
export const CONTRACT_PATH = '/v1/id_ocr/general';

/** Every status the contract documents, in its order. */
export const CONTRACT_STATUSES = ['OK', 'FAIL', 'INVALID_REQUEST', 'IMAGE_INVALID_FORMAT', 'IMAGE_INVALID_SIZE', 'INNER_ERROR'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export type ContractErrorStatus = Exclude<ContractStatus, 'OK'>;

/** The documented message of each error status, used wherever we answer one ourselves. */
export const CONTRACT_MESSAGES: Readonly<Record<ContractErrorStatus, string>> = {
  FAIL: 'check input image and retry',
  INVALID_REQUEST: 'check request params',
  IMAGE_INVALID_FORMAT: 'image format not support',
  IMAGE_INVALID_SIZE: 'image larger than 2M',
  INNER_ERROR: 'Service is not available right now, please try again later',
};

/** The keys of the OK message, in the documented order and spelling (`nationnality` sic). */
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

/** The contract's "2M": 2 MiB of image. An image of exactly this many bytes is accepted. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export function isContractErrorStatus(status: string): status is ContractErrorStatus {
  return status !== 'OK' && (CONTRACT_STATUSES as readonly string[]).includes(status);
}
