import { describe, expect, it } from 'vitest';
import {
  cardRegencyName,
  districtByCode,
  matchRegionName,
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
