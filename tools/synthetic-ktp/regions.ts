/**
 * Kemendagri region tables from npm `idn-area-data` (CSV, data ODbL), read synchronously once.
 * Codes are dotted (`32.75.01`); the NIK uses them without dots.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Province {
  code: string; // "32"
  name: string; // "JAWA BARAT"
}
export interface Regency {
  code: string; // "32.75"
  provinceCode: string;
  name: string; // "KOTA BEKASI", "KABUPATEN BANDUNG", "KOTA ADMINISTRASI JAKARTA SELATAN"
}
export interface District {
  code: string; // "32.75.01"
  regencyCode: string;
  name: string; // "Bekasi Timur"
}

export interface RegionTables {
  provinces: Province[];
  regencies: Regency[];
  districts: District[];
  provinceByCode: Map<string, Province>;
  regencyByCode: Map<string, Regency>;
  districtByCode: Map<string, District>;
  regenciesByProvince: Map<string, Regency[]>;
  districtsByRegency: Map<string, District[]>;
  villagesByDistrict: Map<string, string[]>;
}

let cached: RegionTables | undefined;

function dataDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main is lib/index.js; the CSVs sit in ../data.
  return join(dirname(require.resolve('idn-area-data')), '..', 'data');
}

function rows(file: string): string[][] {
  const text = readFileSync(join(dataDir(), file), 'utf8');
  const out: string[][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    out.push([line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1)]);
  }
  return out;
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

export function loadRegions(): RegionTables {
  if (cached) return cached;
  // provinces.csv has two columns: code,name
  const provinces: Province[] = readFileSync(join(dataDir(), 'provinces.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(',');
      return { code: l.slice(0, i), name: l.slice(i + 1) };
    });
  const regencies: Regency[] = rows('regencies.csv').map(([code, provinceCode, name]) => ({
    code: code!,
    provinceCode: provinceCode!,
    name: name!,
  }));
  const districts: District[] = rows('districts.csv').map(([code, regencyCode, name]) => ({
    code: code!,
    regencyCode: regencyCode!,
    name: name!,
  }));
  const villagesByDistrict = new Map<string, string[]>();
  for (const [, districtCode, name] of rows('villages.csv')) {
    const list = villagesByDistrict.get(districtCode!);
    if (list) list.push(name!);
    else villagesByDistrict.set(districtCode!, [name!]);
  }
  cached = {
    provinces,
    regencies,
    districts,
    provinceByCode: new Map(provinces.map((p) => [p.code, p])),
    regencyByCode: new Map(regencies.map((r) => [r.code, r])),
    districtByCode: new Map(districts.map((d) => [d.code, d])),
    regenciesByProvince: group(regencies, (r) => r.provinceCode),
    districtsByRegency: group(districts, (d) => d.regencyCode),
    villagesByDistrict,
  };
  return cached;
}

/** The regency as the card header prints it: DKI drops the prefix, others keep KABUPATEN/KOTA. */
export function printedRegency(r: Regency): string {
  if (r.provinceCode === '31') return r.name.replace(/^(KOTA|KABUPATEN) ADMINISTRASI /, '');
  return r.name;
}

/** The bare place name (no KABUPATEN/KOTA prefix), as used for the place of birth and issue city. */
export function bareRegency(r: Regency): string {
  return r.name.replace(/^(KOTA|KABUPATEN) (ADMINISTRASI )?/, '');
}
