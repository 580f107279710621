/**
 * Synthetic identity data that obeys the e-KTP rules (docs/ktp.md):
 * a real Kemendagri province → regency → district → village chain, and a NIK made of the district
 * code, the birth date (day + 40 for women) and a serial ≥ 0001.
 */
import type { RawKtpFields } from '../../src/ktp/raw-fields.ts';
import {
  FEMALE_GIVEN,
  FEMALE_SECOND,
  HOUSING_NAMES,
  MALE_GIVEN,
  PLACE_WORDS,
  PREFIX_TITLES_FEMALE,
  PREFIX_TITLES_MALE,
  SECOND_NAMES,
  STREET_NAMES,
  SUFFIX_DEGREES,
} from './names.ts';
import { bareRegency, loadRegions, printedRegency } from './regions.ts';
import type { District, Province, Regency } from './regions.ts';
import type { Rng } from './rng.ts';

/** The classic SIAK occupation list (codes 01..89), values as printed. */
export const OCCUPATIONS = [
  'BELUM/TIDAK BEKERJA', 'MENGURUS RUMAH TANGGA', 'PELAJAR/MAHASISWA', 'PENSIUNAN',
  'PEGAWAI NEGERI SIPIL (PNS)', 'TENTARA NASIONAL INDONESIA (TNI)', 'KEPOLISIAN RI (POLRI)', 'PERDAGANGAN',
  'PETANI/PEKEBUN', 'PETERNAK', 'NELAYAN/PERIKANAN', 'INDUSTRI', 'KONSTRUKSI', 'TRANSPORTASI',
  'KARYAWAN SWASTA', 'KARYAWAN BUMN', 'KARYAWAN BUMD', 'KARYAWAN HONORER', 'BURUH HARIAN LEPAS',
  'BURUH TANI/PERKEBUNAN', 'BURUH NELAYAN/PERIKANAN', 'BURUH PETERNAKAN', 'PEMBANTU RUMAH TANGGA',
  'TUKANG CUKUR', 'TUKANG LISTRIK', 'TUKANG BATU', 'TUKANG KAYU', 'TUKANG SOL SEPATU',
  'TUKANG LAS/PANDAI BESI', 'TUKANG JAHIT', 'TUKANG GIGI', 'PENATA RIAS', 'PENATA BUSANA',
  'PENATA RAMBUT', 'MEKANIK', 'SENIMAN', 'TABIB', 'PARAJI', 'PERANCANG BUSANA', 'PENTERJEMAH',
  'IMAM MASJID', 'PENDETA', 'PASTOR', 'WARTAWAN', 'USTADZ/MUBALIGH', 'JURU MASAK', 'PROMOTOR ACARA',
  'ANGGOTA DPR-RI', 'ANGGOTA DPD', 'ANGGOTA BPK', 'PRESIDEN', 'WAKIL PRESIDEN',
  'ANGGOTA MAHKAMAH KONSTITUSI', 'ANGGOTA KABINET/KEMENTERIAN', 'DUTA BESAR', 'GUBERNUR',
  'WAKIL GUBERNUR', 'BUPATI', 'WAKIL BUPATI', 'WALIKOTA', 'WAKIL WALIKOTA', 'ANGGOTA DPRD PROVINSI',
  'ANGGOTA DPRD KABUPATEN/KOTA', 'DOSEN', 'GURU', 'PILOT', 'PENGACARA', 'NOTARIS', 'ARSITEK',
  'AKUNTAN', 'KONSULTAN', 'DOKTER', 'BIDAN', 'PERAWAT', 'APOTEKER', 'PSIKIATER/PSIKOLOG',
  'PENYIAR TELEVISI', 'PENYIAR RADIO', 'PELAUT', 'PENELITI', 'SOPIR', 'PIALANG', 'PARANORMAL',
  'PEDAGANG', 'PERANGKAT DESA', 'KEPALA DESA', 'BIARAWATI', 'WIRASWASTA', 'LAINNYA',
] as const;

const STATE_OFFICES = new Set(OCCUPATIONS.slice(47, 63));
const COMMON_OCCUPATIONS = OCCUPATIONS.filter((o) => !STATE_OFFICES.has(o));

export const GENDERS = ['LAKI-LAKI', 'PEREMPUAN'] as const;
export const MARITAL = ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'] as const;
export const RELIGIONS = [
  'ISLAM', 'KRISTEN', 'KATOLIK', 'KATHOLIK', 'HINDU', 'BUDDHA', 'BUDHA', 'KONGHUCU', 'KHONGHUCU',
  'KEPERCAYAAN TERHADAP TUHAN YME',
] as const;
export const BLOOD_TYPES = ['-', 'A', 'B', 'AB', 'O', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;

/** "Today" for every card: fixed, so output never depends on the clock. */
const REFERENCE_DATE = { y: 2025, m: 6, d: 30 };

export interface CardData {
  truth: RawKtpFields;
  /** Things printed or drawn that are not fields. */
  female: boolean;
  birthYear: number;
  religionLabel: 'Agama' | 'Kepercayaan';
  bloodLabel: 'Gol. Darah' | 'Gol Darah';
  /** Header line 2 exactly as printed (equals truth.city). */
  regencyHeader: string;
  codes: { province: string; regency: string; district: string };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fmt = (d: number, m: number, y: number) => `${pad(d)}-${pad(m)}-${y}`;
const daysIn = (m: number, y: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ordinal = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86400000;
function fromOrdinal(o: number): { y: number; m: number; d: number } {
  const dt = new Date(o * 86400000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** Card-safe village name: the tables contain a few odd spellings (`Soka"an`); skip those. */
const PRINTABLE = /^[A-Z0-9 .'()\/-]+$/;

function pickRegion(rng: Rng): { province: Province; regency: Regency; district: District; village: string } {
  const t = loadRegions();
  for (;;) {
    // Weight Java and Sumatra up a little, like the population.
    const province = rng.weighted(
      t.provinces.map((p) => [p, ['31', '32', '33', '34', '35', '36'].includes(p.code) ? 4 : 1] as const),
    );
    const regency = rng.pick(t.regenciesByProvince.get(province.code) ?? []);
    const districts = t.districtsByRegency.get(regency.code);
    if (!districts?.length) continue;
    const district = rng.pick(districts);
    const villages = (t.villagesByDistrict.get(district.code) ?? [])
      .map((v) => v.toUpperCase())
      .filter((v) => PRINTABLE.test(v) && v.length <= 30);
    if (!villages.length || !PRINTABLE.test(district.name.toUpperCase())) continue;
    return { province, regency, district, village: rng.pick(villages) };
  }
}

function makeName(rng: Rng, female: boolean, age: number): string {
  const given = female ? FEMALE_GIVEN : MALE_GIVEN;
  const seconds = SECOND_NAMES.filter((s) => female || !FEMALE_SECOND.has(s));
  const shape = rng.weighted([
    ['mono', 14],
    ['two', 48],
    ['three', 28],
    ['four', 10],
  ] as const);
  const parts: string[] = [rng.pick(given)];
  if (shape === 'three' || shape === 'four') parts.push(rng.pick(given));
  if (shape === 'four') parts.push(rng.pick(seconds));
  if (shape !== 'mono') parts.push(rng.pick(seconds));
  // Now and then a long name with titles on both sides: it wraps onto a second line on the card.
  const long = age >= 26 && rng.chance(0.06);
  if (long) parts.splice(1, 0, rng.pick(given), rng.pick(seconds));
  // No doubled words ("NUR NUR").
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  let name = unique.join(' ');
  if (long) return `${rng.pick(female ? PREFIX_TITLES_FEMALE : PREFIX_TITLES_MALE)} ${name}, ${rng.pick(SUFFIX_DEGREES)}`;
  if (age >= 24 && rng.chance(0.18)) name = `${rng.pick(female ? PREFIX_TITLES_FEMALE : PREFIX_TITLES_MALE)} ${name}`;
  if (age >= 22 && rng.chance(0.2)) name = `${name}, ${rng.pick(SUFFIX_DEGREES)}`;
  return name;
}

function makeAddress(rng: Rng): string {
  const n = rng.weighted([
    [rng.int(1, 30), 6],
    [rng.int(1, 150), 3],
    [rng.int(1, 9) * 100 + rng.int(0, 99), 1],
  ] as const);
  const letter = rng.pick(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K']);
  const form = rng.weighted([
    ['jl', 30],
    ['jl-gg', 10],
    ['dusun', 14],
    ['kp', 10],
    ['perum', 12],
    ['bare', 6],
    ['long', 12],
  ] as const);
  switch (form) {
    case 'jl':
      return `JL. ${rng.pick(STREET_NAMES)} NO. ${n}`;
    case 'jl-gg':
      return `JL. ${rng.pick(STREET_NAMES)} GG. ${rng.pick(STREET_NAMES)} NO. ${n}`;
    case 'dusun':
      return `${rng.pick(['DUSUN', 'DSN.', 'DUSUN'])} ${rng.pick(PLACE_WORDS)}`;
    case 'kp':
      return `KP. ${rng.pick(PLACE_WORDS)}`;
    case 'perum':
      return `PERUM ${rng.pick(HOUSING_NAMES)} BLOK ${letter}${rng.int(1, 12)} NO. ${rng.int(1, 40)}`;
    case 'bare':
      return rng.pick(PLACE_WORDS);
    case 'long':
      return rng.pick([
        `JL. ${rng.pick(STREET_NAMES)} KOMPLEK ${rng.pick(HOUSING_NAMES)} BLOK ${letter} NO. ${n} LINGKUNGAN ${rng.pick(PLACE_WORDS)}`,
        `PERUMAHAN ${rng.pick(HOUSING_NAMES)} CLUSTER ${rng.pick(PLACE_WORDS)} BLOK ${letter}${rng.int(1, 20)} NO. ${rng.int(1, 40)}`,
        `JL. RAYA ${rng.pick(STREET_NAMES)} KM. ${rng.int(2, 40)} GG. ${rng.pick(STREET_NAMES)} NO. ${n}`,
      ]);
  }
}

function pickReligion(rng: Rng, provinceCode: string): string {
  const christianHeavy = ['53', '71', '81', '91', '92', '93', '94', '95', '96'].includes(provinceCode);
  const base = rng.weighted([
    ['ISLAM', provinceCode === '51' ? 8 : christianHeavy ? 25 : 82],
    ['KRISTEN', christianHeavy ? 45 : 7],
    ['KATOLIK', provinceCode === '53' ? 40 : christianHeavy ? 15 : 4],
    ['HINDU', provinceCode === '51' ? 85 : 2],
    ['BUDDHA', 2],
    ['KONGHUCU', 0.6],
    ['KEPERCAYAAN TERHADAP TUHAN YME', 0.6],
  ] as const);
  if (base === 'KATOLIK' && rng.chance(0.3)) return 'KATHOLIK';
  if (base === 'BUDDHA' && rng.chance(0.3)) return 'BUDHA';
  if (base === 'KONGHUCU' && rng.chance(0.3)) return 'KHONGHUCU';
  return base;
}

function pickOccupation(rng: Rng, female: boolean, age: number): string {
  if (age < 23 && rng.chance(0.7)) return 'PELAJAR/MAHASISWA';
  if (age >= 58 && rng.chance(0.25)) return 'PENSIUNAN';
  if (female && rng.chance(0.3)) return 'MENGURUS RUMAH TANGGA';
  return rng.weighted([
    ['WIRASWASTA', 20],
    ['KARYAWAN SWASTA', 20],
    ['PETANI/PEKEBUN', 10],
    ['BURUH HARIAN LEPAS', 7],
    ['PEGAWAI NEGERI SIPIL (PNS)', 5],
    ['PEDAGANG', 5],
    ['BELUM/TIDAK BEKERJA', 4],
    ['GURU', 3],
    ['NELAYAN/PERIKANAN', 2],
    ['SOPIR', 2],
    // The rest of the list, without the state offices (PRESIDEN, BUPATI, ANGGOTA DPR-RI, ...).
    [rng.pick(COMMON_OCCUPATIONS), 22],
  ] as const);
}

export function generateCardData(rng: Rng): CardData {
  const { province, regency, district, village } = pickRegion(rng);
  const female = rng.chance(0.5);

  // Dates: issue date first (recent), then a birth date that makes the holder ≥ 17 at issue.
  const oldCard = rng.chance(0.15); // issued 2011-2015 with a dated "Berlaku Hingga"
  const today = ordinal(REFERENCE_DATE.y, REFERENCE_DATE.m, REFERENCE_DATE.d);
  const issue = oldCard
    ? fromOrdinal(rng.int(ordinal(2011, 3, 1), ordinal(2015, 12, 31)))
    : fromOrdinal(rng.int(ordinal(2016, 1, 1), today - 30));
  const maxBirthYear = issue.y - 18;
  const birthYear = rng.weighted([
    [rng.int(Math.max(1950, maxBirthYear - 20), maxBirthYear), 5],
    [rng.int(1950, maxBirthYear), 5],
  ] as const);
  const birthMonth = rng.int(1, 12);
  const birthDay = rng.int(1, daysIn(birthMonth, birthYear));
  const age = issue.y - birthYear;

  const nikDay = birthDay + (female ? 40 : 0);
  const serial = rng.weighted([
    [rng.int(1, 20), 3],
    [rng.int(1, 999), 5],
    [rng.int(1000, 9999), 2],
  ] as const);
  const codes = {
    province: province.code,
    regency: regency.code.split('.')[1]!,
    district: district.code.split('.')[2]!,
  };
  const nik = `${codes.province}${codes.regency}${codes.district}${pad(nikDay)}${pad(birthMonth)}${pad(birthYear % 100)}${pad(serial, 4)}`;

  const t = loadRegions();
  const pobRegency = rng.chance(0.65) ? rng.pick(t.regenciesByProvince.get(province.code) ?? [regency]) : rng.pick(t.regencies);
  let pob = bareRegency(pobRegency);
  if (pobRegency.provinceCode === '31' && rng.chance(0.5)) pob = 'JAKARTA';

  const marital =
    age < 21
      ? rng.weighted([['BELUM KAWIN', 9], ['KAWIN', 1]] as const)
      : rng.weighted([
          ['KAWIN', 60],
          ['BELUM KAWIN', age < 30 ? 40 : 10],
          ['CERAI HIDUP', 6],
          ['CERAI MATI', age > 50 ? 14 : 3],
        ] as const);
  const religion = pickReligion(rng, province.code);
  const blood = rng.weighted([
    ['-', 40],
    ['O', 20],
    ['A', 12],
    ['B', 14],
    ['AB', 5],
    [rng.pick(['A+', 'B+', 'O+', 'AB+', 'A-', 'B-', 'O-', 'AB-']), 6],
  ] as const);
  // Dated cards ran five years, ending on the holder's birthday.
  const validYear = issue.y + 5;
  const validDay = Math.min(birthDay, daysIn(birthMonth, validYear));
  const validUntil = oldCard ? fmt(validDay, birthMonth, validYear) : 'SEUMUR HIDUP';

  const regencyHeader = printedRegency(regency);
  const truth: RawKtpFields = {
    id: nik,
    name: makeName(rng, female, age),
    pob,
    dob: fmt(birthDay, birthMonth, birthYear),
    gender: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    address: makeAddress(rng),
    rt: pad(rng.weighted([[rng.int(1, 8), 3], [rng.int(1, 25), 1]] as const), 3),
    rw: pad(rng.weighted([[rng.int(1, 6), 3], [rng.int(1, 15), 1]] as const), 3),
    village,
    district: district.name.toUpperCase(),
    city: regencyHeader,
    province: province.name,
    religion,
    marital_status: marital,
    work: pickOccupation(rng, female, age),
    nationnality: 'WNI',
    blood_type: blood,
    valid_until: validUntil,
    issue_city: bareRegency(regency),
    issue_date: fmt(issue.d, issue.m, issue.y),
  };
  return {
    truth,
    female,
    birthYear,
    religionLabel: religion.startsWith('KEPERCAYAAN') ? 'Kepercayaan' : 'Agama',
    bloodLabel: rng.chance(0.8) ? 'Gol. Darah' : 'Gol Darah',
    regencyHeader,
    codes,
  };
}
