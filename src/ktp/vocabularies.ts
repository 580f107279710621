/**
 * Matchers for the card's closed vocabularies (docs/ktp.md, "Closed vocabularies").
 *
 * Each takes a value as read and answers the set member it denotes, the canonical printed form
 * (spaces and hyphens restored: `BELUMKAWIN` → `BELUM KAWIN`) and a confidence from the edit
 * distance. Matching ignores spaces and punctuation, tolerates a length-relative number of edits
 * (see `allowedEdits`) and refuses ties, so a garbled read becomes null rather than a guess.
 */
import type { Gender, MaritalStatus, Nationality, Religion } from './identity.ts';
import { parseCardDate, toCardDate } from './dates.ts';
import { bestMatch, lookAlikeEqual, squash, tidy, type Candidate } from './fuzzy.ts';
import { LETTER_LOOK_ALIKES } from './look-alikes.ts';

export interface VocabularyMatch<T> {
  /** The member matched, or null when the read is not (close enough to) one of them. */
  value: T | null;
  /** The canonical printed form when matched; otherwise the input, trimmed. */
  text: string;
  /** 0..1: 1 for an exact (space-insensitive) read, lower with every edit; 0 when unmatched. */
  confidence: number;
}

interface Entry<T> {
  value: T;
  /** As printed on a current card. */
  text: string;
  /** Other spellings that denote the same value (older cards, common OCR truncations). */
  aliases?: readonly string[];
}

function matcher<T>(entries: readonly Entry<T>[]): (input: string) => VocabularyMatch<T> {
  const candidates: Candidate<Entry<T>>[] = entries.flatMap((entry) =>
    [entry.text, ...(entry.aliases ?? [])].map((spelling) => ({ key: squash(spelling), id: entry.text, item: entry })),
  );
  return (input) => {
    const text = tidy(input);
    const found = text === '' ? null : bestMatch(squash(text), candidates);
    if (!found) return { value: null, text, confidence: 0 };
    return { value: found.item.value, text: found.item.text, confidence: found.confidence };
  };
}

export const matchGender: (input: string) => VocabularyMatch<Gender> = matcher<Gender>([
  // OCR often stops at the hyphen and yields a bare `LAKI`. Mock-ups print English or everyday
  // words; each names one sex unambiguously.
  { value: 'MALE', text: 'LAKI-LAKI', aliases: ['LAKI', 'PRIA', 'MALE'] },
  { value: 'FEMALE', text: 'PEREMPUAN', aliases: ['WANITA', 'FEMALE'] },
]);

export const matchReligion: (input: string) => VocabularyMatch<Religion> = matcher<Religion>([
  { value: 'ISLAM', text: 'ISLAM' },
  { value: 'KRISTEN', text: 'KRISTEN', aliases: ['KRISTEN PROTESTAN', 'PROTESTAN'] },
  { value: 'KATOLIK', text: 'KATOLIK', aliases: ['KATHOLIK'] },
  { value: 'HINDU', text: 'HINDU' },
  { value: 'BUDDHA', text: 'BUDDHA', aliases: ['BUDHA'] },
  { value: 'KONGHUCU', text: 'KONGHUCU', aliases: ['KHONGHUCU'] },
  {
    value: 'KEPERCAYAAN',
    text: 'KEPERCAYAAN TERHADAP TUHAN YME',
    aliases: ['KEPERCAYAAN', 'KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA'],
  },
]);

export const matchMaritalStatus: (input: string) => VocabularyMatch<MaritalStatus> = matcher<MaritalStatus>([
  { value: 'BELUM_KAWIN', text: 'BELUM KAWIN' },
  { value: 'KAWIN', text: 'KAWIN' },
  { value: 'CERAI_HIDUP', text: 'CERAI HIDUP' },
  { value: 'CERAI_MATI', text: 'CERAI MATI' },
]);

/**
 * Countries a WNA card may print in `Kewarganegaraan` (in Indonesian, as Dukcapil writes them),
 * beside the usual ones of residents. A country names a foreign national unambiguously; the list
 * only has to recognise a country as one, never to correct it.
 */
export const COUNTRIES: readonly string[] = [
  'AFGHANISTAN', 'AFRIKA SELATAN', 'AMERIKA SERIKAT', 'ARAB SAUDI', 'ARGENTINA', 'AUSTRALIA', 'AUSTRIA',
  'BANGLADESH', 'BELANDA', 'BELGIA', 'BRASIL', 'BRUNEI DARUSSALAM', 'CHILE', 'DENMARK', 'FILIPINA',
  'FINLANDIA', 'HONGARIA', 'INDIA', 'INGGRIS', 'BRITANIA RAYA', 'IRAK', 'IRAN', 'IRLANDIA', 'ITALIA',
  'JEPANG', 'JERMAN', 'KAMBOJA', 'KANADA', 'KOREA SELATAN', 'KOREA UTARA', 'LAOS', 'MALAYSIA', 'MESIR',
  'MEKSIKO', 'MYANMAR', 'NEPAL', 'NIGERIA', 'NORWEGIA', 'PAKISTAN', 'PAPUA NUGINI', 'PERANCIS', 'POLANDIA',
  'PORTUGAL', 'QATAR', 'RUSIA', 'SELANDIA BARU', 'SINGAPURA', 'SPANYOL', 'SRI LANKA', 'SWEDIA', 'SWISS',
  'TAIWAN', 'THAILAND', 'TIMOR LESTE', 'TIONGKOK', 'CHINA', 'TURKI', 'UKRAINA', 'UNI EMIRAT ARAB',
  'VIETNAM', 'YAMAN', 'YORDANIA', 'YUNANI',
];

export const matchNationality: (input: string) => VocabularyMatch<Nationality> = matcher<Nationality>([
  // INDONESIA names the citizen's nationality as plainly as WNI does.
  { value: 'WNI', text: 'WNI', aliases: ['INDONESIA', 'WARGA NEGARA INDONESIA'] },
  { value: 'WNA', text: 'WNA', aliases: ['WARGA NEGARA ASING', ...COUNTRIES] },
]);

const BLOOD_GROUPS = ['A', 'B', 'AB', 'O'] as const;
const BLOOD_TYPES: ReadonlySet<string> = new Set(BLOOD_GROUPS.flatMap((g) => [g, `${g}+`, `${g}-`]));
/** Digits read in place of the letters of a blood group (src/ktp/look-alikes.ts). */
const BLOOD_SLIPS = LETTER_LOOK_ALIKES;

/**
 * `A`, `B`, `AB`, `O`, each optionally `+`/`-`. The card prints `-` for an unknown type: that is a
 * confident read of "unknown" (value null, text `-`, confidence 1), not a failed one.
 * Edit distance is useless on one or two letters, so only digit-for-letter slips are repaired.
 */
export function matchBloodType(input: string): VocabularyMatch<string> {
  const text = tidy(input);
  const compact = text.toUpperCase().replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\s/g, '');
  if (/^-+$/.test(compact)) return { value: null, text: '-', confidence: 1 };
  if (BLOOD_TYPES.has(compact)) return { value: compact, text: compact, confidence: 1 };
  const repaired = [...compact].map((c) => BLOOD_SLIPS[c] ?? c).join('');
  if (BLOOD_TYPES.has(repaired)) return { value: repaired, text: repaired, confidence: 0.8 };
  return { value: null, text, confidence: 0 };
}

export interface ValidUntilMatch {
  /** True for `SEUMUR HIDUP`, false for a printed date, null when unreadable. */
  forLife: boolean | null;
  /** ISO date when a date is printed. Such cards are still legally valid for life: never "expired". */
  date: string | null;
  text: string;
  confidence: number;
}

const matchForLife = matcher([{ value: true, text: 'SEUMUR HIDUP' }]);

export function matchValidUntil(input: string): ValidUntilMatch {
  const text = tidy(input);
  const date = parseCardDate(text);
  if (date !== null) {
    const clean = /^\d{2}-\d{2}-\d{4}$/.test(text);
    return { forLife: false, date, text: toCardDate(date), confidence: clean ? 1 : 0.9 };
  }
  const life = matchForLife(text);
  if (life.value) return { forLife: true, date: null, text: life.text, confidence: life.confidence };
  return { forLife: null, date: null, text, confidence: 0 };
}

/**
 * The classic SIAK occupation list, in code order (code = index + 1, zero-padded).
 * Kept verbatim: these strings are what `matchOccupation` returns.
 */
export const SIAK_OCCUPATIONS: readonly string[] = [
  'BELUM/TIDAK BEKERJA', 'MENGURUS RUMAH TANGGA', 'PELAJAR/MAHASISWA', 'PENSIUNAN',
  'PEGAWAI NEGERI SIPIL (PNS)', 'TENTARA NASIONAL INDONESIA (TNI)', 'KEPOLISIAN RI (POLRI)',
  'PERDAGANGAN', 'PETANI/PEKEBUN', 'PETERNAK', 'NELAYAN/PERIKANAN', 'INDUSTRI', 'KONSTRUKSI',
  'TRANSPORTASI', 'KARYAWAN SWASTA', 'KARYAWAN BUMN', 'KARYAWAN BUMD', 'KARYAWAN HONORER',
  'BURUH HARIAN LEPAS', 'BURUH TANI/PERKEBUNAN', 'BURUH NELAYAN/PERIKANAN', 'BURUH PETERNAKAN',
  'PEMBANTU RUMAH TANGGA', 'TUKANG CUKUR', 'TUKANG LISTRIK', 'TUKANG BATU', 'TUKANG KAYU',
  'TUKANG SOL SEPATU', 'TUKANG LAS/PANDAI BESI', 'TUKANG JAHIT', 'TUKANG GIGI', 'PENATA RIAS',
  'PENATA BUSANA', 'PENATA RAMBUT', 'MEKANIK', 'SENIMAN', 'TABIB', 'PARAJI', 'PERANCANG BUSANA',
  'PENTERJEMAH', 'IMAM MASJID', 'PENDETA', 'PASTOR', 'WARTAWAN', 'USTADZ/MUBALIGH', 'JURU MASAK',
  'PROMOTOR ACARA', 'ANGGOTA DPR-RI', 'ANGGOTA DPD', 'ANGGOTA BPK', 'PRESIDEN', 'WAKIL PRESIDEN',
  'ANGGOTA MAHKAMAH KONSTITUSI', 'ANGGOTA KABINET/KEMENTERIAN', 'DUTA BESAR', 'GUBERNUR',
  'WAKIL GUBERNUR', 'BUPATI', 'WAKIL BUPATI', 'WALIKOTA', 'WAKIL WALIKOTA', 'ANGGOTA DPRD PROVINSI',
  'ANGGOTA DPRD KABUPATEN/KOTA', 'DOSEN', 'GURU', 'PILOT', 'PENGACARA', 'NOTARIS', 'ARSITEK',
  'AKUNTAN', 'KONSULTAN', 'DOKTER', 'BIDAN', 'PERAWAT', 'APOTEKER', 'PSIKIATER/PSIKOLOG',
  'PENYIAR TELEVISI', 'PENYIAR RADIO', 'PELAUT', 'PENELITI', 'SOPIR', 'PIALANG', 'PARANORMAL',
  'PEDAGANG', 'PERANGKAT DESA', 'KEPALA DESA', 'BIARAWATI', 'WIRASWASTA', 'LAINNYA',
];

/** Values of the newer forms of the occupation list (docs/ktp.md, "Pekerjaan"); they have no code in the classic list. */
export const NEWER_OCCUPATIONS: readonly string[] = [
  'APARATUR SIPIL NEGARA (ASN)', 'BURUH', 'ARTIS', 'ATLET', 'CHEF', 'MANAJER', 'TENAGA TATA USAHA',
  'OPERATOR', 'TEKNISI',
];

/**
 * Other spellings, each mapped to the value it denotes: the parts of slash and bracket values,
 * and the free text of older cards (`IBU RUMAH TANGGA`, `PNS`, `SWASTA`) mapped to their SIAK value.
 */
const OCCUPATION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'BELUM/TIDAK BEKERJA': ['BELUM BEKERJA', 'TIDAK BEKERJA'],
  'MENGURUS RUMAH TANGGA': ['IBU RUMAH TANGGA', 'IRT'],
  'PELAJAR/MAHASISWA': ['PELAJAR', 'MAHASISWA'],
  'PEGAWAI NEGERI SIPIL (PNS)': ['PEGAWAI NEGERI SIPIL', 'PNS'],
  'TENTARA NASIONAL INDONESIA (TNI)': ['TENTARA NASIONAL INDONESIA', 'TNI'],
  'KEPOLISIAN RI (POLRI)': ['KEPOLISIAN RI', 'POLRI'],
  'PETANI/PEKEBUN': ['PETANI'],
  'NELAYAN/PERIKANAN': ['NELAYAN'],
  'KARYAWAN SWASTA': ['SWASTA', 'PEGAWAI SWASTA'],
  'PSIKIATER/PSIKOLOG': ['PSIKOLOG', 'PSIKIATER'],
  'USTADZ/MUBALIGH': ['USTADZ', 'MUBALIGH'],
  'APARATUR SIPIL NEGARA (ASN)': ['APARATUR SIPIL NEGARA', 'ASN'],
};

export interface OccupationMatch extends VocabularyMatch<string> {
  /** True when the value is one of the known ones (classic, newer or an alias of them). */
  known: boolean;
  /** The two-digit classic SIAK code (`05`), when the value has one. */
  code: string | null;
}

/** How sure we are of a value nobody recognises: it is what was read, nothing more. */
const VERBATIM_CONFIDENCE = 0.3;

const matchKnownOccupation = matcher(
  [...SIAK_OCCUPATIONS, ...NEWER_OCCUPATIONS].map((text) => ({
    value: text,
    text,
    aliases: OCCUPATION_ALIASES[text] ?? [],
  })),
);

/**
 * The occupation as its canonical value. Pekerjaan is open in practice (older cards carry free
 * text), so an unknown non-empty read is kept verbatim as the value, with low confidence and
 * `known: false`; only an empty read gives value null.
 */
export function matchOccupation(input: string): OccupationMatch {
  const found = matchKnownOccupation(input);
  if (found.value !== null) {
    const index = SIAK_OCCUPATIONS.indexOf(found.value);
    return { ...found, known: true, code: index < 0 ? null : String(index + 1).padStart(2, '0') };
  }
  const text = found.text;
  return { value: text === '' ? null : text, text, confidence: text === '' ? 0 : VERBATIM_CONFIDENCE, known: false, code: null };
}

export interface OfficialOccupation {
  /** The two-digit classic SIAK code, null for a value of the newer forms. */
  code: string | null;
  officialName: string;
  /** Letter for letter (spacing aside), or only through look-alike characters. */
  match: 'EXACT' | 'LOOK_ALIKE';
}

const OFFICIAL_OCCUPATIONS = [...SIAK_OCCUPATIONS, ...NEWER_OCCUPATIONS].map((name) => ({ name, key: squash(name) }));

/**
 * Whether a printed occupation is one of the official Dukcapil values, strictly: the same
 * letters (spacing and punctuation aside), or the same but for look-alike characters. Older free
 * text (`SWASTA`, `PEGAWAI SWASTA`, `PETANI`) is no official value, however close in meaning.
 */
export function officialOccupation(printed: string): OfficialOccupation | null {
  const key = squash(printed);
  if (key === '') return null;
  const exact = OFFICIAL_OCCUPATIONS.find((o) => o.key === key);
  const near = exact ? [exact] : OFFICIAL_OCCUPATIONS.filter((o) => lookAlikeEqual(key, o.key));
  if (near.length !== 1) return null;
  const name = near[0]!.name;
  const index = SIAK_OCCUPATIONS.indexOf(name);
  return { code: index < 0 ? null : String(index + 1).padStart(2, '0'), officialName: name, match: exact ? 'EXACT' : 'LOOK_ALIKE' };
}
