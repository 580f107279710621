import type { KtpAddressData, KtpIdentityData, NikCheckData, FieldConfidenceData } from '../ktp/identity.ts';
import type { Box, RawKtpFields } from '../ktp/raw-fields.ts';
import { builder } from './builder.ts';
import { GenderEnum, MaritalStatusEnum, NationalityEnum, ReligionEnum } from './enums.ts';
import { KtpBox } from './ktp-box.ts';
import { KtpFieldBox, type FieldBoxData } from './ktp-field-box.ts';
import { KtpFieldWarning } from './ktp-field-warning.ts';
import { KtpOccupationMatch } from './ktp-occupation-match.ts';
import { KtpRegionMatch } from './ktp-region-match.ts';

export type KtpIdentityModel = KtpIdentityData & {
  fieldBoxes: FieldBoxData[];
  portrait: Box | null;
  cached: boolean;
  charged: boolean;
  contentHash: string | null;
};

const KtpAddress = builder.objectRef<KtpAddressData>('KtpAddress').implement({
  description: 'The address block of the card, as printed. Fields the provider left empty are null.',
  fields: (t) => ({
    street: t.exposeString('street', { nullable: true, description: '`Alamat`: street, house number, block.' }),
    rt: t.exposeString('rt', { nullable: true, description: '`RT`, as printed (e.g. `006`).' }),
    rw: t.exposeString('rw', { nullable: true, description: '`RW`, as printed (e.g. `003`).' }),
    village: t.exposeString('village', { nullable: true, description: '`Kel/Desa`.' }),
    district: t.exposeString('district', { nullable: true, description: '`Kecamatan`.' }),
    city: t.exposeString('city', { nullable: true, description: 'Regency or city with its prefix: `KOTA KENDARI`, `KABUPATEN BOGOR`.' }),
    province: t.exposeString('province', { nullable: true, description: 'Province, without the word PROVINSI.' }),
    region: t.expose('region', {
      type: KtpRegionMatch,
      nullable: true,
      description: 'The Kemendagri codes and official names the printed names match; null when none does.',
    }),
  }),
});

const KtpNikCheck = builder.objectRef<NikCheckData>('KtpNikCheck').implement({
  description:
    'What the NIK itself encodes (Kemendagri region codes, birth date with the +40 rule for women, serial) and whether it agrees with the rest of the card. The NIK is never corrected: disagreements are warnings.',
  fields: (t) => ({
    valid: t.exposeBoolean('valid', { description: 'All hard checks passed: 16 digits, known province, real birth date, serial not 0000.' }),
    problems: t.exposeStringList('problems', { description: 'Why `valid` is false.' }),
    warnings: t.exposeStringList('warnings', { description: 'Soft disagreements with the printed card (never a reason to reject).' }),
    provinceCode: t.exposeString('provinceCode', { nullable: true }),
    regencyCode: t.exposeString('regencyCode', { nullable: true }),
    districtCode: t.exposeString('districtCode', { nullable: true }),
    provinceName: t.exposeString('provinceName', { nullable: true, description: 'Kemendagri name of the province code.' }),
    regencyName: t.exposeString('regencyName', { nullable: true, description: 'Kemendagri name of the regency/city code.' }),
    districtName: t.exposeString('districtName', { nullable: true, description: 'Kemendagri name of the district code.' }),
    birthDate: t.expose('birthDate', { type: 'Date', nullable: true, description: 'Decoded from the NIK.' }),
    gender: t.expose('gender', { type: GenderEnum, nullable: true, description: 'Decoded from the NIK (+40 on the day for women).' }),
    serial: t.exposeString('serial', { nullable: true }),
    birthDateMatchesCard: t.exposeBoolean('birthDateMatchesCard', { nullable: true, description: 'Null when the printed birth date is unknown.' }),
    genderMatchesCard: t.exposeBoolean('genderMatchesCard', { nullable: true, description: 'Null when the printed gender is unknown.' }),
  }),
});

const KtpFieldConfidence = builder.objectRef<FieldConfidenceData>('KtpFieldConfidence').implement({
  description: 'How sure the provider is of one field, 0..1. The paid API reports none.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field\'s key in `KtpRawFields`.' }),
    confidence: t.exposeFloat('confidence', {
      description:
        'The chance that the value is exactly what the card prints, spaces and punctuation included: of fields reported at 0.95, about 95 in 100 are exact (the offline engine is calibrated to this on synthetic cards, docs/accuracy.md). 0 for a field read as nothing. A NIK under 0.95 is also listed in `nikCheck.warnings`.',
    }),
  }),
});

const KtpRawFieldsRef = builder.objectRef<RawKtpFields>('KtpRawFields').implement({
  description:
    'The provider\'s answer untouched, in the paid API\'s spelling (empty string where it said nothing). Values outside the enums stay readable here.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'NIK as returned.' }),
    name: t.exposeString('name'),
    pob: t.exposeString('pob', { description: 'Place of birth.' }),
    dob: t.exposeString('dob', { description: 'Date of birth, DD-MM-YYYY as returned.' }),
    gender: t.exposeString('gender'),
    address: t.exposeString('address'),
    rt: t.exposeString('rt'),
    rw: t.exposeString('rw'),
    village: t.exposeString('village'),
    district: t.exposeString('district'),
    city: t.exposeString('city'),
    province: t.exposeString('province'),
    religion: t.exposeString('religion'),
    marital_status: t.exposeString('marital_status'),
    work: t.exposeString('work'),
    nationnality: t.exposeString('nationnality', { description: 'Spelt as the paid API spells it.' }),
    blood_type: t.exposeString('blood_type', { nullable: true, description: 'Read by the local engine only.' }),
    valid_until: t.exposeString('valid_until', { nullable: true, description: 'Read by the local engine only.' }),
    issue_city: t.exposeString('issue_city', { nullable: true, description: 'Read by the local engine only.' }),
    issue_date: t.exposeString('issue_date', { nullable: true, description: 'Read by the local engine only.' }),
  }),
});

export const KtpIdentity = builder.objectRef<KtpIdentityModel>('KtpIdentity').implement({
  description: 'A recognised KTP, normalised. Every field but `nik` may be null: providers say each may be empty.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'nik' in value,
  fields: (t) => ({
    nik: t.exposeString('nik', {
      description: 'The Nomor Induk Kependudukan as printed, even when malformed (letters, 12 or 14 digits): `nikCheck.problems` says what is wrong.',
    }),
    name: t.exposeString('name', { nullable: true }),
    birthPlace: t.exposeString('birthPlace', { nullable: true }),
    birthDate: t.expose('birthDate', { type: 'Date', nullable: true }),
    gender: t.expose('gender', { type: GenderEnum, nullable: true }),
    bloodType: t.exposeString('bloodType', { nullable: true, description: '`A`, `B`, `AB` or `O`, maybe with `+`/`-`; null when the card prints `-`.' }),
    address: t.expose('address', { type: KtpAddress, nullable: true }),
    religion: t.expose('religion', { type: ReligionEnum, nullable: true, description: 'Null when the value is not a known religion; see `raw.religion`.' }),
    maritalStatus: t.expose('maritalStatus', { type: MaritalStatusEnum, nullable: true }),
    occupation: t.exposeString('occupation', { nullable: true, description: '`Pekerjaan` as printed (since 0.2.0; it was the SIAK value before). See `occupationMatch`.' }),
    occupationMatch: t.expose('occupationMatch', { type: KtpOccupationMatch, nullable: true, description: 'Whether `occupation` is an official Dukcapil value; null when none was read.' }),
    nationality: t.expose('nationality', { type: NationalityEnum, nullable: true }),
    validForLife: t.exposeBoolean('validForLife', { nullable: true, description: '`Berlaku Hingga: SEUMUR HIDUP`. Cards printed with a date are legally valid for life too.' }),
    validUntil: t.expose('validUntil', { type: 'Date', nullable: true, description: 'The date printed in `Berlaku Hingga` on older cards.' }),
    issueCity: t.exposeString('issueCity', { nullable: true, description: 'Where the card was issued (under the photo).' }),
    issueDate: t.expose('issueDate', { type: 'Date', nullable: true }),
    nikCheck: t.expose('nikCheck', { type: KtpNikCheck }),
    confidence: t.expose('confidence', { type: [KtpFieldConfidence], description: 'Per-field confidence, when the provider reports it.' }),
    fieldBoxes: t.expose('fieldBoxes', {
      type: [KtpFieldBox],
      description:
        'Where each field was read on the image, one per field located, in the image\'s pixels. The offline engine locates them; the paid API reports none, so through it the list is empty.',
    }),
    portrait: t.expose('portrait', {
      type: KtpBox,
      nullable: true,
      description: 'The photo area of the card, in the image\'s pixels, for cropping the face (face matching). Null through the paid API, or when the engine did not find it.',
    }),
    fieldWarnings: t.expose('fieldWarnings', { type: [KtpFieldWarning], description: 'Values printed off the card\'s format, and whether they could be mapped.' }),
    raw: t.expose('raw', { type: KtpRawFieldsRef }),
    cached: t.exposeBoolean('cached', { description: 'True when this answer cost nothing: served from the cache or shared with an identical request in flight.' }),
    charged: t.exposeBoolean('charged', {
      description:
        'True when the paid API charged for this answer (its OK), as on `OcrError`. This request caused the charge when `charged` and not `cached`. Always false for the offline engine.',
    }),
    // Nullable like OcrError.contentHash: a client can then select it on both union members at once.
    contentHash: t.exposeString('contentHash', { nullable: true, description: 'SHA-256 (hex) of the image bytes.' }),
  }),
});
