/**
 * The paid API's contract as its documentation states it (docs/ekycpro-contract.md), written out
 * here as literals on purpose: tests compare the gateway against the contract, not against the
 * gateway's own constants, so a renamed route or a reworded message fails a test.
 */
export const CONTRACT_ROUTE = '/v1/id_ocr/general';

export const CONTRACT_MESSAGES = {
  FAIL: 'check input image and retry',
  INVALID_REQUEST: 'check request params',
  IMAGE_INVALID_FORMAT: 'image format not support',
  IMAGE_INVALID_SIZE: 'image larger than 2M',
  INNER_ERROR: 'Service is not available right now, please try again later',
} as const;

/** The keys of an OK message, in the documented order and spelling (`nationnality` sic). */
export const CONTRACT_OK_KEYS = [
  'name', 'id', 'pob', 'dob', 'gender', 'address', 'rt', 'rw', 'village', 'district',
  'religion', 'marital_status', 'work', 'nationnality', 'city', 'province',
] as const;

/** "image size larger than 2M", read as 2 MiB. */
export const CONTRACT_MAX_IMAGE_BYTES = 2_097_152;
