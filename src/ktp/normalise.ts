/**
 * A provider's raw fields → `KtpIdentityData`. Total by design: whatever a provider sends (empty
 * strings, garbage, missing keys, even non-strings from a misbehaving upstream) gives a value and
 * never throws, because a paid OK must not turn into an error on our side.
 */
import type { FieldConfidence, RawKtpFields } from './raw-fields.ts';
import type { FieldConfidenceData, KtpAddressData, KtpIdentityData } from './identity.ts';
import { parseCardDate } from './dates.ts';
import { tidy } from './fuzzy.ts';
import { checkNik, readPrintedNik } from './nik.ts';
import { matchRegionName } from './regions.ts';
import {
  matchBloodType,
  matchGender,
  matchMaritalStatus,
  matchNationality,
  matchOccupation,
  matchReligion,
  matchValidUntil,
} from './vocabularies.ts';

/**
 * Below this, a region name is left as read rather than replaced by the table's spelling: one edit
 * in a ten-letter name is a slip worth repairing, more is a guess.
 */
const REGION_REPAIR_CONFIDENCE = 0.85;

/** Trimmed, single-spaced text; null for empty (or for a non-string a provider should not send). */
function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tidied = tidy(value);
  return tidied === '' ? null : tidied;
}

/**
 * The printed region names, re-spelt from the Kemendagri tables when the read is a confident
 * match (`KOTABANDUNG` → `KOTA BANDUNG`), each level searched under the one above it.
 */
function regions(raw: Partial<RawKtpFields>): Pick<KtpAddressData, 'province' | 'city' | 'district'> {
  const province = text(raw.province);
  const city = text(raw.city);
  const district = text(raw.district);
  const p = province ? matchRegionName('province', province) : null;
  const c = city ? matchRegionName('regency', city, p?.code) ?? matchRegionName('regency', city) : null;
  const d = district && c ? matchRegionName('district', district, c.code) : null;
  const repaired = (read: string | null, match: { name: string; confidence: number } | null) =>
    match && match.confidence >= REGION_REPAIR_CONFIDENCE ? match.name : read;
  return { province: repaired(province, p), city: repaired(city, c), district: repaired(district, d) };
}

function address(raw: Partial<RawKtpFields>): KtpAddressData | null {
  const parts: KtpAddressData = {
    street: text(raw.address),
    rt: text(raw.rt),
    rw: text(raw.rw),
    village: text(raw.village),
    ...regions(raw),
  };
  return Object.values(parts).every((part) => part === null) ? null : parts;
}

function confidences(confidence: FieldConfidence | undefined): FieldConfidenceData[] {
  if (!confidence || typeof confidence !== 'object') return [];
  return Object.entries(confidence)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([field, value]) => ({ field, confidence: Math.min(1, Math.max(0, value)) }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** Runs a matcher on a field that may be missing; null stays null. */
function matched<T>(value: unknown, match: (input: string) => { value: T | null }): T | null {
  const read = text(value);
  return read === null ? null : match(read).value;
}

export function normaliseIdentity(
  raw: RawKtpFields,
  confidence: FieldConfidence | undefined,
  today: Date,
): KtpIdentityData {
  // The type promises an object; a provider bug must still not throw here.
  const fields: Partial<RawKtpFields> = raw !== null && typeof raw === 'object' ? raw : {};
  const nik = readPrintedNik(typeof fields.id === 'string' ? fields.id : '');
  const birthDate = parseCardDate(text(fields.dob) ?? '');
  const gender = matched(fields.gender, matchGender);
  const place = address(fields);
  const validUntil = matchValidUntil(text(fields.valid_until) ?? '');

  return {
    nik,
    name: text(fields.name),
    birthPlace: text(fields.pob),
    birthDate,
    gender,
    bloodType: matched(fields.blood_type, matchBloodType),
    address: place,
    religion: matched(fields.religion, matchReligion),
    maritalStatus: matched(fields.marital_status, matchMaritalStatus),
    occupation: matched(fields.work, matchOccupation),
    nationality: matched(fields.nationnality, matchNationality),
    validForLife: validUntil.forLife,
    validUntil: validUntil.date,
    issueCity: text(fields.issue_city),
    issueDate: parseCardDate(text(fields.issue_date) ?? ''),
    nikCheck: checkNik(nik, {
      birthDate,
      gender,
      province: place?.province ?? null,
      city: place?.city ?? null,
      district: place?.district ?? null,
    }, today),
    confidence: confidences(confidence),
    raw,
  };
}
