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

export interface KtpAddressData {
  street: string | null;
  rt: string | null;
  rw: string | null;
  village: string | null;
  district: string | null;
  /** With its prefix, as printed: `KOTA KENDARI`, `KABUPATEN BOGOR`. */
  city: string | null;
  province: string | null;
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
  /** The canonical SIAK value when matched, else the value as read. */
  occupation: string | null;
  nationality: Nationality | null;
  /** True for `SEUMUR HIDUP`; false when a date is printed; null when unknown. */
  validForLife: boolean | null;
  /** ISO date when a date is printed (older cards; still legally valid for life). */
  validUntil: string | null;
  issueCity: string | null;
  issueDate: string | null;
  nikCheck: NikCheckData;
  confidence: FieldConfidenceData[];
  /** The provider's answer, untouched. */
  raw: RawKtpFields;
}
