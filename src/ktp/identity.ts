import type { RawKtpFields } from './raw-fields.ts';

/**
 * A recognised card after normalisation: what `KtpIdentity` prints. Every provider's answer goes
 * through `normaliseIdentity` (src/ktp/normalise.ts), so the NIK checks and vocabularies apply to
 * the paid API's answers and the local engine's alike.
 *
 * Closed sets become enum values, or null when the value is not one of them; the value as the
 * provider returned it always stays available in `raw`, so an unexpected value never turns a paid
 * success into an error.
 */
export type Gender = 'MALE' | 'FEMALE';
export type Religion = 'ISLAM' | 'KRISTEN' | 'KATOLIK' | 'HINDU' | 'BUDDHA' | 'KONGHUCU' | 'KEPERCAYAAN';
export type MaritalStatus = 'BELUM_KAWIN' | 'KAWIN' | 'CERAI_HIDUP' | 'CERAI_MATI';
export type Nationality = 'WNI' | 'WNA';

/** An official (Kemendagri or Dukcapil) entry that a printed value matched, reported beside it. */
export interface OfficialNameData {
  code: string;
  name: string;
  /** `EXACT`: the same letters (case, spaces and punctuation aside); `LOOK_ALIKE`: the same but for characters a recogniser confuses. */
  match: 'EXACT' | 'LOOK_ALIKE';
}

/** The Kemendagri regions the printed names match, each level searched under the one above it. */
export interface KtpRegionMatchData {
  province: OfficialNameData | null;
  regency: OfficialNameData | null;
  district: OfficialNameData | null;
  village: OfficialNameData | null;
}

export interface KtpOccupationMatchData {
  /** The printed value is one of the official Dukcapil (SIAK) values. */
  official: boolean;
  code: string | null;
  officialName: string | null;
  match: 'EXACT' | 'LOOK_ALIKE' | null;
}

/** Something about one field the caller should know: an off-format value, a mapping that was a guess. */
export interface FieldWarningData {
  /** The `KtpRawFields` key. */
  field: string;
  /** One English sentence; never quotes the value. */
  message: string;
}

export interface KtpAddressData {
  street: string | null;
  rt: string | null;
  rw: string | null;
  village: string | null;
  district: string | null;
  /** With its prefix, as printed: `KOTA KENDARI`, `KABUPATEN BOGOR`. */
  city: string | null;
  province: string | null;
  /** The official regions these printed names match; null when none does. Never a rewrite of them. */
  region: KtpRegionMatchData | null;
}

/** What the NIK itself says, and whether it agrees with the rest of the card. */
export interface NikCheckData {
  /** All hard checks passed: 16 digits, known province, real date (with the +40 rule), serial not 0000. */
  valid: boolean;
  /** Why `valid` is false, one short English sentence each; empty when valid. */
  problems: string[];
  /** Soft disagreements: birth date or region differ from the printed ones. Never a reason to reject. */
  warnings: string[];
  provinceCode: string | null;
  regencyCode: string | null;
  districtCode: string | null;
  /** Kemendagri names of the codes, when the tables know them. */
  provinceName: string | null;
  regencyName: string | null;
  districtName: string | null;
  /** ISO YYYY-MM-DD, decoded with the +40 rule and the century that is not in the future. */
  birthDate: string | null;
  gender: Gender | null;
  serial: string | null;
  /** null when the card's printed value is unknown. */
  birthDateMatchesCard: boolean | null;
  genderMatchesCard: boolean | null;
}

export interface FieldConfidenceData {
  /** The contract's key (`name`, `dob`, `work`, ...) or an extra (`blood_type`, ...). */
  field: string;
  /** 0..1. */
  confidence: number;
}

export interface KtpIdentityData {
  nik: string;
  name: string | null;
  birthPlace: string | null;
  /** ISO YYYY-MM-DD; the provider sends DD-MM-YYYY. */
  birthDate: string | null;
  gender: Gender | null;
  /** `A`, `B`, `AB`, `O`, optionally with `+`/`-`; null when unknown (printed `-`). */
  bloodType: string | null;
  address: KtpAddressData | null;
  religion: Religion | null;
  maritalStatus: MaritalStatus | null;
  /** As printed (and read): `PEGAWAI SWASTA` stays `PEGAWAI SWASTA`. */
  occupation: string | null;
  /** Whether `occupation` is an official value, and which; null when no occupation was read. */
  occupationMatch: KtpOccupationMatchData | null;
  nationality: Nationality | null;
  /** True for `SEUMUR HIDUP`; false when a date is printed; null when unknown. */
  validForLife: boolean | null;
  /** ISO date when a date is printed (older cards; still legally valid for life). */
  validUntil: string | null;
  issueCity: string | null;
  issueDate: string | null;
  nikCheck: NikCheckData;
  confidence: FieldConfidenceData[];
  /** Off-format values mapped, or left unmapped, field by field. */
  fieldWarnings: FieldWarningData[];
  /** The provider's answer, untouched. */
  raw: RawKtpFields;
}
