/**
 * A provider's raw fields → `KtpIdentityData`. Total by design: whatever a provider sends (empty
 * strings, garbage, missing keys, even non-strings from a misbehaving upstream) gives a value and
 * never throws, because a paid OK must not turn into an error on our side.
 *
 * The printed fields (`nik`, `name`, `birthPlace`, `address.*`, `occupation`, `issueCity`) are what
 * the provider read, tidied of spaces only: no table or vocabulary rewrites them. What the tables
 * say is reported beside them (`address.region`, `occupationMatch`), and closed values map onto
 * the enums, with a `fieldWarnings` entry whenever the printed text is not the card's own wording.
 */
import type { FieldConfidence, RawKtpFields } from './raw-fields.ts';
import type {
  FieldConfidenceData,
  FieldWarningData,
  KtpAddressData,
  KtpIdentityData,
  NikCheckData,
  KtpOccupationMatchData,
  KtpRegionMatchData,
  OfficialNameData,
} from './identity.ts';
import { parseCardDate } from './dates.ts';
import { squash, tidy } from './fuzzy.ts';
import { checkNik, readPrintedNik } from './nik.ts';
import { officialRegion, type OfficialRegion } from './regions.ts';
import {
  COUNTRIES,
  matchBloodType,
  matchGender,
  matchMaritalStatus,
  matchNationality,
  matchReligion,
  matchValidUntil,
  officialOccupation,
} from './vocabularies.ts';

/** Trimmed, single-spaced text; null for empty (or for a non-string a provider should not send). */
function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tidied = tidy(value);
  return tidied === '' ? null : tidied;
}

const official = (m: OfficialRegion | null): OfficialNameData | null => (m ? { code: m.code, name: m.name, match: m.match } : null);

/**
 * The Kemendagri regions the printed names are, each level under the one above it (a village
 * only under a matched district). Only the printed names count: the NIK's codes say where the
 * holder was first registered, and are not spent on the address.
 */
function regionMatch(parts: KtpAddressData): KtpRegionMatchData | null {
  const province = parts.province ? officialRegion('province', parts.province) : null;
  const regency = parts.city ? officialRegion('regency', parts.city, province?.code) : null;
  const district = parts.district && regency ? officialRegion('district', parts.district, regency.code) : null;
  const village = parts.village && district ? officialRegion('village', parts.village, district.code) : null;
  if (!province && !regency && !district && !village) return null;
  return { province: official(province), regency: official(regency), district: official(district), village: official(village) };
}

/** The address as printed; the official regions it names beside it. */
function address(raw: Partial<RawKtpFields>): KtpAddressData | null {
  const parts: KtpAddressData = {
    street: text(raw.address),
    rt: text(raw.rt),
    rw: text(raw.rw),
    village: text(raw.village),
    district: text(raw.district),
    city: text(raw.city),
    province: text(raw.province),
    region: null,
  };
  if (Object.values(parts).every((part) => part === null)) return null;
  parts.region = regionMatch(parts);
  return parts;
}

function occupationMatch(printed: string | null): KtpOccupationMatchData | null {
  if (printed === null) return null;
  const found = officialOccupation(printed);
  return found
    ? { official: true, code: found.code, officialName: found.officialName, match: found.match }
    : { official: false, code: null, officialName: null, match: null };
}

const OFF_FORMAT = 'The value is not printed the way a KTP prints it; the value it unambiguously names was used.';
const UNMAPPED = 'The value is not one the card prints for this field and names none unambiguously; it is kept as printed only.';
const NEAR_MISS = 'The value differs from the card\'s own wording by a character or two; the nearest value was used.';

/**
 * A closed-vocabulary field: the enum value it names, and a warning when the printed text is not
 * the card's own wording (a mapped off-format value, a near miss) or names nothing.
 */
function closed<T>(
  field: keyof RawKtpFields,
  value: unknown,
  match: (input: string) => { value: T | null; text: string; confidence: number },
  printedForms: readonly string[],
  warnings: FieldWarningData[],
): T | null {
  const read = text(value);
  if (read === null) return null;
  const found = match(read);
  if (found.value === null) {
    // A blood type printed `-` is the card's own "unknown", not an unmapped value.
    if (!(field === 'blood_type' && found.confidence === 1)) warnings.push({ field, message: UNMAPPED });
    return null;
  }
  const printed = squash(read);
  if (!printedForms.some((form) => squash(form) === printed)) {
    warnings.push({ field, message: found.confidence === 1 ? OFF_FORMAT : NEAR_MISS });
  }
  return found.value;
}

const CARD_DATE = /^\d{2}-\d{2}-\d{4}$/;

/** A date field: ISO when it names a real date, with a warning when it is not printed DD-MM-YYYY. */
function date(field: keyof RawKtpFields, value: unknown, warnings: FieldWarningData[]): string | null {
  const read = text(value);
  if (read === null) return null;
  const iso = parseCardDate(read);
  if (iso === null) warnings.push({ field, message: UNMAPPED });
  else if (!CARD_DATE.test(read)) warnings.push({ field, message: OFF_FORMAT });
  return iso;
}

const withWarnings = (check: NikCheckData, more: string[]): NikCheckData => (more.length ? { ...check, warnings: [...check.warnings, ...more] } : check);

function confidences(confidence: FieldConfidence | undefined): FieldConfidenceData[] {
  if (!confidence || typeof confidence !== 'object') return [];
  return Object.entries(confidence)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([field, value]) => ({ field, confidence: Math.min(1, Math.max(0, value)) }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** How the card itself prints the closed values (older spellings included). */
const RELIGION_FORMS = ['ISLAM', 'KRISTEN', 'KATOLIK', 'KATHOLIK', 'HINDU', 'BUDDHA', 'BUDHA', 'KONGHUCU', 'KHONGHUCU', 'KEPERCAYAAN TERHADAP TUHAN YME'];
const BLOOD_FORMS = ['A', 'B', 'AB', 'O'].flatMap((g) => [g, `${g}+`, `${g}-`]);

/**
 * The confidence from which a field may be taken without a look at the card: a provider's
 * confidence is the chance the value is exactly what the card prints (the offline engine's is
 * calibrated to be, docs/accuracy.md), so at 0.95 one field in twenty may be wrong, and a NIK
 * reported under it is listed in `nikCheck.warnings`.
 */
export const SURE_CONFIDENCE = 0.95;

/** The NIK's own doubt, as a warning: a provider that read it unsure (its readings disagreed) says so. */
function nikDoubt(confidence: FieldConfidence | undefined): string[] {
  const id = confidence && typeof confidence === 'object' ? confidence.id : undefined;
  if (typeof id !== 'number' || !Number.isFinite(id) || id >= SURE_CONFIDENCE) return [];
  return [`The provider was unsure of the NIK's digits (confidence ${Math.max(0, id).toFixed(2)}): check them against the card.`];
}

export function normaliseIdentity(
  raw: RawKtpFields,
  confidence: FieldConfidence | undefined,
  today: Date,
): KtpIdentityData {
  // The type promises an object; a provider bug must still not throw here.
  const fields: Partial<RawKtpFields> = raw !== null && typeof raw === 'object' ? raw : {};
  const nik = readPrintedNik(typeof fields.id === 'string' ? fields.id : '');
  const warnings: FieldWarningData[] = [];
  const birthDate = date('dob', fields.dob, warnings);
  const gender = closed('gender', fields.gender, matchGender, ['LAKI-LAKI', 'PEREMPUAN'], warnings);
  const place = address(fields);
  const validUntil = matchValidUntil(text(fields.valid_until) ?? '');
  const validText = text(fields.valid_until);
  if (validText !== null) {
    if (validUntil.forLife === null) warnings.push({ field: 'valid_until', message: UNMAPPED });
    else if (!(validUntil.forLife ? squash(validText) === 'SEUMURHIDUP' : CARD_DATE.test(validText))) {
      warnings.push({ field: 'valid_until', message: validUntil.confidence === 1 || !validUntil.forLife ? OFF_FORMAT : NEAR_MISS });
    }
  }
  const occupation = text(fields.work);

  return {
    nik,
    name: text(fields.name),
    birthPlace: text(fields.pob),
    birthDate,
    gender,
    bloodType: closed('blood_type', fields.blood_type, matchBloodType, BLOOD_FORMS, warnings),
    address: place,
    religion: closed('religion', fields.religion, matchReligion, RELIGION_FORMS, warnings),
    maritalStatus: closed('marital_status', fields.marital_status, matchMaritalStatus, ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'], warnings),
    occupation,
    occupationMatch: occupationMatch(occupation),
    nationality: closed('nationnality', fields.nationnality, matchNationality, ['WNI', 'WNA', ...COUNTRIES], warnings),
    validForLife: validUntil.forLife,
    validUntil: validUntil.date,
    issueCity: text(fields.issue_city),
    issueDate: date('issue_date', fields.issue_date, warnings),
    nikCheck: withWarnings(
      checkNik(nik, {
        birthDate,
        gender,
        province: place?.province ?? null,
        city: place?.city ?? null,
        district: place?.district ?? null,
      }, today),
      nik === '' ? [] : nikDoubt(confidence),
    ),
    confidence: confidences(confidence),
    fieldWarnings: warnings,
    raw,
  };
}
