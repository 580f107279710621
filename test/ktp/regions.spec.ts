import { describe, expect, it } from 'vitest';
import {
  cardRegencyName,
  districtByCode,
  matchRegionName,
  officialRegion,
  printedNames,
  provinceByCode,
  regencyByCode,
} from '../../src/ktp/regions.ts';

describe('look-up by code', () => {
  it('names a province, a regency and a district from their Kemendagri codes', () => {
    expect(provinceByCode('32')).toBe('JAWA BARAT');
    expect(regencyByCode('3273')).toBe('KOTA BANDUNG');
    expect(districtByCode('327301')).toBe('SUKASARI');
  });

  it('accepts dotted codes', () => {
    expect(regencyByCode('32.73')).toBe('KOTA BANDUNG');
    expect(districtByCode('32.73.02')).toBe('COBLONG');
  });

  it('knows all 38 provinces, including the six Papua ones', () => {
    const known = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).filter((c) => provinceByCode(c));
    expect(known).toHaveLength(38);
    expect(known).toEqual(expect.arrayContaining(['91', '92', '93', '94', '95', '96']));
  });

  it('answers null for unknown codes', () => {
    expect(provinceByCode('00')).toBeNull();
    expect(regencyByCode('3299')).toBeNull();
    expect(districtByCode('327399')).toBeNull();
    expect(districtByCode('')).toBeNull();
  });

  it('keeps the Kemendagri name of a DKI city', () => {
    expect(regencyByCode('3174')).toBe('KOTA ADMINISTRASI JAKARTA SELATAN');
  });
});

describe('cardRegencyName', () => {
  it.each([
    ['3201', 'KABUPATEN BOGOR'],
    ['3273', 'KOTA BANDUNG'],
    ['7471', 'KOTA KENDARI'],
    ['3174', 'JAKARTA SELATAN'],
    ['3171', 'JAKARTA PUSAT'],
    ['3101', 'KEPULAUAN SERIBU'],
  ])('prints %s as the card header does: %s', (code, name) => {
    expect(cardRegencyName(code)).toBe(name);
  });

  it('answers null for an unknown code', () => {
    expect(cardRegencyName('9999')).toBeNull();
  });
});

describe('matchRegionName', () => {
  it.each([
    ['province', 'JAWA BARAT', 'JAWA BARAT', '32'],
    ['province', 'JAWABARAT', 'JAWA BARAT', '32'],
    ['province', 'PROVINSI JAWA BARAT', 'JAWA BARAT', '32'],
    ['province', 'PROVINSIJAWABARAT', 'JAWA BARAT', '32'],
    ['province', 'DKI JAKARTA', 'DKI JAKARTA', '31'],
    ['province', 'DI YOGYAKARTA', 'DAERAH ISTIMEWA YOGYAKARTA', '34'],
    ['province', 'PAPUA BARAT DAYA', 'PAPUA BARAT DAYA', '96'],
    ['regency', 'KOTA BANDUNG', 'KOTA BANDUNG', '3273'],
    ['regency', 'KOTABANDUNG', 'KOTA BANDUNG', '3273'],
    ['regency', 'KABUPATEN BOGOR', 'KABUPATEN BOGOR', '3201'],
    ['regency', 'KAB. BOGOR', 'KABUPATEN BOGOR', '3201'],
    ['regency', 'JAKARTA SELATAN', 'JAKARTA SELATAN', '3174'],
    ['regency', 'KOTA ADM. JAKARTA SELATAN', 'JAKARTA SELATAN', '3174'],
    ['regency', 'KOTA JAKARTA SELATAN', 'JAKARTA SELATAN', '3174'],
    ['regency', 'KENDARI', 'KOTA KENDARI', '7471'],
    ['district', 'COBLONG', 'COBLONG', '327302'],
    ['district', 'Kec. Coblong', 'COBLONG', '327302'],
    ['district', 'KECAMATANCOBLONG', 'COBLONG', '327302'],
  ] as const)('reads the %s %j exactly', (kind, text, name, code) => {
    expect(matchRegionName(kind, text)).toEqual({ name, code, confidence: 1 });
  });

  it.each([
    ['province', 'JAWA BARAR', '32'],
    ['province', 'SULAWESl TENGGARA', '74'],
    ['regency', 'KOTA BANDUNC', '3273'],
    ['regency', 'KABUPATEN B0GOR', '3201'],
  ] as const)('repairs the slip in the %s %j, with less confidence', (kind, text, code) => {
    const match = matchRegionName(kind, text);
    expect(match?.code).toBe(code);
    expect(match?.confidence).toBeLessThan(1);
    expect(match?.confidence).toBeGreaterThan(0.8);
  });

  it('keeps KABUPATEN and KOTA of the same name apart', () => {
    expect(matchRegionName('regency', 'KABUPATEN BANDUNG')?.code).toBe('3204');
    expect(matchRegionName('regency', 'KOTA BANDUNG')?.code).toBe('3273');
  });

  it('refuses a bare name that two regencies share', () => {
    expect(matchRegionName('regency', 'BANDUNG')).toBeNull();
  });

  it('searches only the children of the parent code', () => {
    expect(matchRegionName('district', 'SUKASARI', '3273')?.code).toBe('327301');
    expect(matchRegionName('district', 'COBLONG', '3201')).toBeNull();
    expect(matchRegionName('regency', 'KOTA BANDUNG', '31')).toBeNull();
    expect(matchRegionName('regency', 'KOTA BANDUNG', '32')?.code).toBe('3273');
  });

  it('uses the parent code to tell apart districts that share a name', () => {
    // Sukasari is a district name in more than one regency.
    expect(matchRegionName('district', 'SUKASARI')).toBeNull();
    expect(matchRegionName('district', 'SUKASARI', '32.73')?.code).toBe('327301');
  });

  it('finds a village under its district', () => {
    expect(matchRegionName('village', 'CIPAGANTI', '327302')).toEqual({ name: 'CIPAGANTI', code: '3273021001', confidence: 1 });
    expect(matchRegionName('village', 'KEL. LEBAKGEDE', '327302')?.code).toBe('3273021002');
  });

  it.each(['', '   ', 'XQZVBN', '12345', 'PROVINSI', 'ZZZZ ZZZZ ZZZZ'])('matches no region for garbage %j', (text) => {
    for (const kind of ['province', 'regency', 'district'] as const) {
      expect(matchRegionName(kind, text)).toBeNull();
    }
  });

  it('answers null under an unknown parent', () => {
    expect(matchRegionName('district', 'COBLONG', '9999')).toBeNull();
  });
});

describe('officialRegion: which official region a printed name is, without guessing', () => {
  it.each([
    ['regency', 'KOTA ADM. JAKARTA SELATAN', '3174', 'KOTA ADMINISTRASI JAKARTA SELATAN'],
    ['regency', 'JAKARTA SELATAN', '3174', 'KOTA ADMINISTRASI JAKARTA SELATAN'],
    ['regency', 'KABUPATEN BATUBARA', '1219', 'KABUPATEN BATU BARA'],
    ['regency', 'BATUBARA', '1219', 'KABUPATEN BATU BARA'],
    ['regency', 'KAB BATU BARA', '1219', 'KABUPATEN BATU BARA'],
    ['province', 'JAWA BARAT', '32', 'JAWA BARAT'],
    ['province', 'DI YOGYAKARTA', '34', 'DAERAH ISTIMEWA YOGYAKARTA'],
    ['province', 'NAD', '11', 'ACEH'],
  ] as const)('the %s printed %j is %s, %s, letter for letter', (kind, text, code, name) => {
    expect(officialRegion(kind, text)).toEqual({ code, name, match: 'EXACT' });
  });

  it('says when only look-alike characters make the match', () => {
    expect(officialRegion('province', 'JAWA 8ARAT')).toEqual({ code: '32', name: 'JAWA BARAT', match: 'LOOK_ALIKE' });
    expect(officialRegion('district', 'C0BLONG', '3273')).toEqual({ code: '327302', name: 'COBLONG', match: 'LOOK_ALIKE' });
    expect(officialRegion('village', 'CIPAGANT1', '32.73.02')).toEqual({ code: '3273021001', name: 'CIPAGANTI', match: 'LOOK_ALIKE' });
  });

  it('never looks for a village by look-alikes without its district: 83,000 names are too many to be sure', () => {
    expect(officialRegion('village', 'CIPAGANT1')).toBeNull();
  });

  it('searches under the parent when given, dotted or not, and finds nothing under the wrong one', () => {
    expect(officialRegion('district', 'KECAMATAN COBLONG', '32.73')).toEqual({ code: '327302', name: 'COBLONG', match: 'EXACT' });
    expect(officialRegion('regency', 'KOTA BANDUNG', '32')?.code).toBe('3273');
    expect(officialRegion('regency', 'KOTA BANDUNG', '31')).toBeNull();
    expect(officialRegion('district', 'COBLONG', '3201')).toBeNull();
    expect(officialRegion('district', 'C0BLONG', '3201')).toBeNull();
  });

  it('answers null when two regions are that close, and for nothing', () => {
    expect(officialRegion('regency', 'BANDUNG')).toBeNull();
    expect(officialRegion('district', 'SUKASARI')).toBeNull();
    expect(officialRegion('district', '')).toBeNull();
    expect(officialRegion('province', 'PADANGPANJANG')).toBeNull();
  });
});

describe('printedNames: every spelling a card may print, for reconciling a reading', () => {
  it('lists a regency with and without its KABUPATEN/KOTA, under its province', () => {
    const westJava = printedNames('regency', '32');
    expect(westJava).toEqual(expect.arrayContaining(['KOTA BANDUNG', 'KABUPATEN BOGOR', 'BANDUNG', 'BOGOR']));
    expect(westJava).not.toContain('JAKARTA SELATAN');
  });

  it('lists a DKI city as its card prints it and by its Kemendagri name', () => {
    expect(printedNames('regency', '31')).toEqual(
      expect.arrayContaining(['JAKARTA SELATAN', 'KOTA ADMINISTRASI JAKARTA SELATAN', 'KEPULAUAN SERIBU', 'KABUPATEN ADMINISTRASI KEPULAUAN SERIBU']),
    );
    expect(printedNames('regency', '31')).toHaveLength(12);
  });

  it('lists the 38 provinces and their other names', () => {
    const provinces = printedNames('province');
    expect(provinces).toHaveLength(38 + 6);
    expect(provinces).toEqual(expect.arrayContaining(['DAERAH ISTIMEWA YOGYAKARTA', 'DI YOGYAKARTA', 'YOGYAKARTA', 'DIY', 'NAD', 'BANGKA BELITUNG', 'PAPUA BARAT DAYA']));
  });

  it('lists the districts of one regency, dotted code or not, and none of an unknown one', () => {
    expect(printedNames('district', '3273')).toHaveLength(30);
    expect(printedNames('district', '32.73')).toEqual(printedNames('district', '3273'));
    expect(printedNames('district', '3273')).toContain('COBLONG');
    expect(printedNames('district', '3273')).not.toContain('CIBINONG');
    expect(printedNames('district', '9999')).toEqual([]);
    expect(printedNames('village', '327302')).toEqual(['CIPAGANTI', 'LEBAK GEDE', 'SADANG SERANG', 'DAGO', 'SEKELOA', 'LEBAK SILIWANGI']);
  });
});
