/**
 * Kemendagri region codes and names: the codes a NIK starts with (`32.73.01` → `327301`).
 *
 * Data: the CSV tables shipped by the npm package `idn-area-data` (code MIT; the data is licensed
 * under the Open Database License, ODbL 1.0 — see node_modules/idn-area-data/data/LICENSE.md).
 * Using the tables inside a running service is not "conveying" them; if we ever publish a copy
 * or a derived table, ODbL requires attribution and share-alike for that database.
 *
 * The package's own API is asynchronous; the NIK checks are synchronous, so the CSVs are read
 * once with readFileSync on first use (provinces, regencies and districts together, ~7,800 rows;
 * the 83k villages only when a village is first looked up).
 *
 * Codes are returned without dots, as the NIK writes them; both forms are accepted.
 * Names are uppercase, as cards print them (the tables write districts and villages in title case).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bestMatch, lookAlikeEqual, squash, type Candidate } from './fuzzy.ts';

export type RegionKind = 'province' | 'regency' | 'district' | 'village';

export interface RegionMatch {
  /** As the card prints it: `JAWA BARAT`, `KOTA BANDUNG`, `JAKARTA SELATAN`, `COBLONG`. */
  name: string;
  /** Kemendagri code without dots: `32`, `3273`, `327301`, `3273011001`. */
  code: string;
  confidence: number;
}

interface Area {
  code: string;
  parentCode: string | null;
  /** Kemendagri name, uppercased. */
  name: string;
  /** What a card prints and what matching returns. */
  cardName: string;
  /** Squashed spellings the area may be read as. */
  keys: string[];
}

interface Level {
  byCode: Map<string, Area>;
  /** Every spelling, for the exact look-up that answers most reads without any edit distance. */
  byKey: Map<string, Area[]>;
  byParent: Map<string, Area[]>;
  all: Area[];
  /** Every (key, area) pair of `all`, flattened once for the unrestricted fuzzy scan. */
  candidates: Candidate<Area>[];
}

const DKI_JAKARTA = '31';

/**
 * Province names in the forms older cards and OCR engines produce, beside the Kemendagri one.
 * Aceh was "Nanggroe Aceh Darussalam" until 2009; Yogyakarta is often abbreviated "DI".
 */
const PROVINCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '11': ['NANGGROE ACEH DARUSSALAM', 'NAD'],
  '19': ['BANGKA BELITUNG'],
  '34': ['DI YOGYAKARTA', 'YOGYAKARTA', 'DIY'],
};

/** Label words a reader may leave in front of the value. */
const LEADING_LABELS: Readonly<Record<Exclude<RegionKind, 'regency'>, readonly string[]>> = {
  province: ['PROVINSI', 'PROV'],
  district: ['KECAMATAN', 'KEC'],
  village: ['KELURAHANDESA', 'KELDESA', 'KELURAHAN', 'DESA', 'KEL', 'DS'],
};

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('idn-area-data/package.json')), 'data');
}

/** Rows of `code,parent,name` (provinces: `code,name`). Names hold no commas, but keep the rest whole anyway. */
function readCsv(file: string, hasParent: boolean): { code: string; parentCode: string | null; name: string }[] {
  const lines = readFileSync(join(dataDir(), file), 'utf8').split(/\r?\n/).slice(1);
  const rows = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const first = line.indexOf(',');
    const second = hasParent ? line.indexOf(',', first + 1) : first;
    rows.push({
      code: line.slice(0, first).replaceAll('.', ''),
      parentCode: hasParent ? line.slice(first + 1, second).replaceAll('.', '') : null,
      name: line.slice(second + 1).trim().toUpperCase(),
    });
  }
  return rows;
}

function level(areas: Area[]): Level {
  const byCode = new Map<string, Area>();
  const byParent = new Map<string, Area[]>();
  const byKey = new Map<string, Area[]>();
  for (const area of areas) {
    byCode.set(area.code, area);
    for (const key of area.keys) {
      const same = byKey.get(key) ?? [];
      if (!same.includes(area)) same.push(area);
      byKey.set(key, same);
    }
    if (area.parentCode !== null) {
      const siblings = byParent.get(area.parentCode) ?? [];
      siblings.push(area);
      byParent.set(area.parentCode, siblings);
    }
  }
  return { byCode, byKey, byParent, all: areas, candidates: candidates(areas) };
}

/**
 * The regency as a card header prints it. Kemendagri writes every regency as `KABUPATEN X` or
 * `KOTA X`, which is what cards print — except in DKI Jakarta, whose cards print the bare name
 * (`JAKARTA SELATAN`, not `KOTA ADMINISTRASI JAKARTA SELATAN`).
 */
function printedRegencyName(name: string, provinceCode: string | null): string {
  const bare = name.replace(/^(KABUPATEN|KOTA)\s+(ADMINISTRASI\s+|ADM\.?\s+)?/, '');
  if (provinceCode === DKI_JAKARTA) return bare;
  return name.replace(/\s+(ADMINISTRASI|ADM\.?)\s+/, ' ');
}

function regencyKeys(name: string, cardName: string): string[] {
  const kind = name.startsWith('KOTA') ? 'KOTA' : 'KABUPATEN';
  const bare = squash(name.replace(/^(KABUPATEN|KOTA)\s+(ADMINISTRASI\s+|ADM\.?\s+)?/, ''));
  const keys = [squash(name), squash(cardName), kind + bare, kind + 'ADM' + bare, bare];
  if (kind === 'KABUPATEN') keys.push('KAB' + bare, 'KABADM' + bare);
  return [...new Set(keys)];
}

let tables: { province: Level; regency: Level; district: Level } | undefined;
let villages: Level | undefined;

function load(): NonNullable<typeof tables> {
  if (tables) return tables;
  const provinces = readCsv('provinces.csv', false).map((row): Area => ({
    ...row,
    cardName: row.name,
    keys: [row.name, ...(PROVINCE_ALIASES[row.code] ?? [])].map(squash),
  }));
  const regencies = readCsv('regencies.csv', true).map((row): Area => {
    const cardName = printedRegencyName(row.name, row.parentCode);
    return { ...row, cardName, keys: regencyKeys(row.name, cardName) };
  });
  const districts = readCsv('districts.csv', true).map((row): Area => ({
    ...row,
    cardName: row.name,
    keys: [squash(row.name)],
  }));
  tables = { province: level(provinces), regency: level(regencies), district: level(districts) };
  return tables;
}

function loadVillages(): Level {
  villages ??= level(
    readCsv('villages.csv', true).map((row): Area => ({ ...row, cardName: row.name, keys: [squash(row.name)] })),
  );
  return villages;
}

/**
 * Reads every table now rather than on first use. The villages alone take the event loop for
 * about a second on the loaded 2-core machine: on first use, that second fell on the first
 * recognition answered, and every request in flight waited it out. The server calls this before
 * it listens; a library user or a test that never calls it pays on first use, as before.
 */
export function loadRegionTables(): void {
  load();
  loadVillages();
}

function levelOf(kind: RegionKind): Level {
  return kind === 'village' ? loadVillages() : load()[kind];
}

function plainCode(code: string): string {
  return code.trim().replaceAll('.', '');
}

/** Kemendagri province name: `32` → `JAWA BARAT`; null for an unknown code. */
export function provinceByCode(code: string): string | null {
  return load().province.byCode.get(plainCode(code))?.name ?? null;
}

/** Kemendagri regency name: `3174` → `KOTA ADMINISTRASI JAKARTA SELATAN`; null for an unknown code. */
export function regencyByCode(code: string): string | null {
  return load().regency.byCode.get(plainCode(code))?.name ?? null;
}

/** Kemendagri district name, uppercased: `327301` → `SUKASARI`; null for an unknown code. */
export function districtByCode(code: string): string | null {
  return load().district.byCode.get(plainCode(code))?.name ?? null;
}

/** The regency as the card header prints it: `3201` → `KABUPATEN BOGOR`, `3174` → `JAKARTA SELATAN`. */
export function cardRegencyName(code: string): string | null {
  return load().regency.byCode.get(plainCode(code))?.cardName ?? null;
}

function candidates(areas: readonly Area[]): Candidate<Area>[] {
  return areas.flatMap((area) => area.keys.map((key) => ({ key, id: area.code, item: area })));
}

/** The input as read, and without a leading label word when it has one (`KECAMATANCOBLONG`). */
function readings(kind: RegionKind, squashed: string): string[] {
  if (kind === 'regency') return [squashed];
  const label = LEADING_LABELS[kind].find((word) => squashed.startsWith(word) && squashed.length > word.length);
  return label ? [squashed, squashed.slice(label.length)] : [squashed];
}

/**
 * The region a printed name most likely denotes, fuzzily and ignoring spaces (`KOTABANDUNG`,
 * `JAWABARAT`, `KAB. BOGOR`, `Kec. Coblong`); restricted to the children of `parentCode` when
 * given. Null when nothing is close, or when two regions are equally close (a bare `BANDUNG` is
 * both `KABUPATEN BANDUNG` and `KOTA BANDUNG`).
 */
export function matchRegionName(kind: RegionKind, text: string, parentCode?: string): RegionMatch | null {
  const squashed = squash(text);
  if (squashed === '') return null;
  // The same names come back on every card of a region (and twice per card: normalising, then the
  // NIK cross-check), while a miss scans thousands of names. The tables never change: remember.
  const memoKey = `${kind}|${parentCode === undefined ? '' : plainCode(parentCode)}|${squashed}`;
  let match = memo.get(memoKey);
  if (match === undefined) {
    match = findRegion(kind, squashed, parentCode);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
    memo.set(memoKey, match);
  }
  return match && { ...match };
}

const MEMO_SIZE = 2_000;
const memo = new Map<string, RegionMatch | null>();

function findRegion(kind: RegionKind, squashed: string, parentCode: string | undefined): RegionMatch | null {
  const table = levelOf(kind);
  const pool = parentCode === undefined || kind === 'province'
    ? table.all
    : table.byParent.get(plainCode(parentCode)) ?? [];

  const inPool = (area: Area) => pool === table.all || area.parentCode === plainCode(parentCode ?? '');
  for (const reading of readings(kind, squashed)) {
    const exact = (table.byKey.get(reading) ?? []).filter(inPool);
    if (exact.length > 1) return null;
    if (exact[0]) return { name: exact[0].cardName, code: exact[0].code, confidence: 1 };
  }

  let best: ReturnType<typeof bestMatch<Area>> = null;
  let ambiguous = false;
  for (const reading of readings(kind, squashed)) {
    const found = bestMatch(reading, pool === table.all ? table.candidates : candidates(pool));
    if (!found) continue;
    if (!best || found.confidence > best.confidence) {
      best = found;
      ambiguous = false;
    } else if (found.confidence === best.confidence && found.item.code !== best.item.code) {
      ambiguous = true;
    }
  }
  if (!best || ambiguous) return null;
  return { name: best.item.cardName, code: best.item.code, confidence: best.confidence };
}

/** How a printed name matched an official one: letter for letter (spacing and case aside), or only through look-alike characters. */
export type OfficialMatchKind = 'EXACT' | 'LOOK_ALIKE';

export interface OfficialRegion {
  /** Kemendagri code without dots. */
  code: string;
  /** The Kemendagri name, uppercased (`KOTA ADMINISTRASI JAKARTA SELATAN`, `KABUPATEN BATU BARA`). */
  name: string;
  match: OfficialMatchKind;
}

/**
 * The official region a printed name is, without guessing: the same letters as one of the
 * region's spellings (ignoring case, spaces and punctuation), or the same but for look-alike
 * characters. Searched under `parentCode` when given. Null when nothing is that close or when two
 * regions are (a bare `BANDUNG` is a KABUPATEN and a KOTA). Never used to rewrite what was read.
 */
export function officialRegion(kind: RegionKind, text: string, parentCode?: string | null): OfficialRegion | null {
  const squashed = squash(text);
  if (squashed === '') return null;
  const table = levelOf(kind);
  const parent = parentCode ? plainCode(parentCode) : null;
  const inPool = (area: Area) => parent === null || kind === 'province' || area.parentCode === parent;
  for (const reading of readings(kind, squashed)) {
    const exact = [...new Set((table.byKey.get(reading) ?? []).filter(inPool))];
    if (exact.length > 1) return null;
    if (exact[0]) return { code: exact[0].code, name: exact[0].name, match: 'EXACT' };
  }
  // Look-alikes: only under a known parent (or among the 38 provinces), never across 83k villages.
  const pool = kind === 'province' ? table.all : parent === null ? (kind === 'village' ? [] : table.all) : table.byParent.get(parent) ?? [];
  const found = new Set<Area>();
  for (const reading of readings(kind, squashed)) {
    for (const area of pool) if (area.keys.some((key) => lookAlikeEqual(reading, key))) found.add(area);
  }
  if (found.size !== 1) return null;
  const [area] = [...found];
  return { code: area!.code, name: area!.name, match: 'LOOK_ALIKE' };
}

/**
 * Every spelling (spaced, uppercase) a card may print for the regions of one kind, under
 * `parentCode` when given: the names a reading is reconciled with. Regencies come with and
 * without their KABUPATEN/KOTA prefix (a place of birth prints the bare name).
 */
export function printedNames(kind: RegionKind, parentCode?: string | null): string[] {
  const table = levelOf(kind);
  const pool = parentCode && kind !== 'province' ? table.byParent.get(plainCode(parentCode)) ?? [] : table.all;
  const names = new Set<string>();
  for (const area of pool) {
    names.add(area.cardName);
    names.add(area.name);
    if (kind === 'regency') names.add(area.name.replace(/^(KABUPATEN|KOTA)\s+(ADMINISTRASI\s+|ADM\.?\s+)?/, ''));
    if (kind === 'province') for (const alias of PROVINCE_ALIASES[area.code] ?? []) names.add(alias);
  }
  return [...names];
}
