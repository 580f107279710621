/**
 * A card's fields as a provider read them, before normalisation: strings, empty where unknown.
 *
 * The keys are the paid REST contract's (`id`, `pob`, `dob` as DD-MM-YYYY, `work`, `nationnality`),
 * because that contract is the one printing every provider must be able to give: the REST endpoint
 * prints these values as they are, the schema normalises them. The optional keys are printed on
 * the card but absent from the paid API; the local engine reads them.
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

/** A provider's confidence in each field it read, 0..1. Providers that do not know say nothing. */
export type FieldConfidence = Partial<Record<keyof RawKtpFields, number>>;

/**
 * Where a value was read on the image: an axis-aligned box in the SOURCE image's pixels (after
 * its EXIF orientation is applied), integers. For a review page that shows each field beside the
 * card, and for cropping the face next.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box of each field a provider located (the local engine does; the paid API does not); `portrait` is the photo. */
export type FieldBoxes = Partial<Record<keyof RawKtpFields | 'portrait', Box>>;
