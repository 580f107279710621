import { describe, expect, it } from 'vitest';
import {
  matchBloodType,
  matchGender,
  matchMaritalStatus,
  matchNationality,
  matchOccupation,
  matchReligion,
  matchValidUntil,
  NEWER_OCCUPATIONS,
  SIAK_OCCUPATIONS,
} from '../../src/ktp/vocabularies.ts';

/** Reads an OCR engine can produce from any field: none of them may match anything. */
const GARBAGE = ['', '   ', '-', '.', ':', 'X', 'QQQQQQ', '1234', 'ZXCVBNM', '!!!', '👍', 'ﾃｽﾄ', 'NAMA', 'ALAMAT'];

describe('matchGender', () => {
  it.each([
    ['LAKI-LAKI', 'MALE', 'LAKI-LAKI'],
    ['LAKI LAKI', 'MALE', 'LAKI-LAKI'],
    ['LAKILAKI', 'MALE', 'LAKI-LAKI'],
    ['LAKI', 'MALE', 'LAKI-LAKI'],
    ['laki-laki', 'MALE', 'LAKI-LAKI'],
    ['PEREMPUAN', 'FEMALE', 'PEREMPUAN'],
    [' Perempuan ', 'FEMALE', 'PEREMPUAN'],
  ])('reads %j exactly as %s', (input, value, text) => {
    expect(matchGender(input)).toEqual({ value, text, confidence: 1 });
  });

  it('repairs a one-letter slip with less than full confidence', () => {
    const match = matchGender('PEREMPUAM');
    expect(match.value).toBe('FEMALE');
    expect(match.text).toBe('PEREMPUAN');
    expect(match.confidence).toBeGreaterThan(0.8);
    expect(match.confidence).toBeLessThan(1);
  });

  it('keeps the input, trimmed, when nothing matches', () => {
    expect(matchGender('  WANITA PRIA ')).toEqual({ value: null, text: 'WANITA PRIA', confidence: 0 });
  });
});

describe('matchReligion', () => {
  it.each([
    ['ISLAM', 'ISLAM', 'ISLAM'],
    ['KRISTEN', 'KRISTEN', 'KRISTEN'],
    ['KATOLIK', 'KATOLIK', 'KATOLIK'],
    ['KATHOLIK', 'KATOLIK', 'KATOLIK'],
    ['HINDU', 'HINDU', 'HINDU'],
    ['BUDDHA', 'BUDDHA', 'BUDDHA'],
    ['BUDHA', 'BUDDHA', 'BUDDHA'],
    ['KONGHUCU', 'KONGHUCU', 'KONGHUCU'],
    ['KHONGHUCU', 'KONGHUCU', 'KONGHUCU'],
    ['KEPERCAYAAN TERHADAP TUHAN YME', 'KEPERCAYAAN', 'KEPERCAYAAN TERHADAP TUHAN YME'],
    ['KEPERCAYAANTERHADAPTUHANYME', 'KEPERCAYAAN', 'KEPERCAYAAN TERHADAP TUHAN YME'],
    ['KEPERCAYAAN', 'KEPERCAYAAN', 'KEPERCAYAAN TERHADAP TUHAN YME'],
  ])('reads the printed spelling %s', (input, value, text) => {
    expect(matchReligion(input)).toEqual({ value, text, confidence: 1 });
  });

  it.each([
    ['ISLAN', 'ISLAM'],
    ['lSLAM', 'ISLAM'],
    ['KRlSTEN', 'KRISTEN'],
    ['HlNDU', 'HINDU'],
    ['KEPERCAYAAN TERHADAP TUHAN Y', 'KEPERCAYAAN'],
  ])('repairs the OCR slip %s', (input, value) => {
    const match = matchReligion(input);
    expect(match.value).toBe(value);
    expect(match.confidence).toBeLessThan(1);
  });
});

describe('matchMaritalStatus', () => {
  it.each([
    ['BELUM KAWIN', 'BELUM_KAWIN', 'BELUM KAWIN'],
    ['BELUMKAWIN', 'BELUM_KAWIN', 'BELUM KAWIN'],
    ['KAWIN', 'KAWIN', 'KAWIN'],
    ['CERAI HIDUP', 'CERAI_HIDUP', 'CERAI HIDUP'],
    ['CERAIHIDUP', 'CERAI_HIDUP', 'CERAI HIDUP'],
    ['CERAI MATI', 'CERAI_MATI', 'CERAI MATI'],
  ])('reads %s', (input, value, text) => {
    expect(matchMaritalStatus(input)).toEqual({ value, text, confidence: 1 });
  });

  it('never reads KAWIN as BELUM KAWIN, nor the other way round', () => {
    expect(matchMaritalStatus('KAWIN').value).toBe('KAWIN');
    expect(matchMaritalStatus('KAWlN').value).toBe('KAWIN');
    expect(matchMaritalStatus('BELUM KAWlN').value).toBe('BELUM_KAWIN');
    expect(matchMaritalStatus('BELUMKAWN').value).toBe('BELUM_KAWIN');
  });

  it('keeps CERAI HIDUP and CERAI MATI apart', () => {
    expect(matchMaritalStatus('CERAI HIDIP').value).toBe('CERAI_HIDUP');
    expect(matchMaritalStatus('CERAI MAT1').value).toBe('CERAI_MATI');
  });

  it('refuses a bare CERAI, which could be either divorce', () => {
    expect(matchMaritalStatus('CERAI').value).toBeNull();
  });
});

describe('matchNationality', () => {
  it.each([
    ['WNI', 'WNI'],
    ['WNA', 'WNA'],
    [' wni ', 'WNI'],
  ])('reads %j', (input, value) => {
    expect(matchNationality(input)).toEqual({ value, text: value, confidence: 1 });
  });

  it('repairs a digit read for a look-alike letter', () => {
    const match = matchNationality('WN1');
    expect(match.value).toBe('WNI');
    expect(match.confidence).toBeLessThan(1);
  });

  it('refuses a letter that could be either', () => {
    expect(matchNationality('WNX').value).toBeNull();
    expect(matchNationality('WN').value).toBeNull();
  });
});

describe('matchBloodType', () => {
  it.each(['A', 'B', 'AB', 'O', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'])('reads %s', (type) => {
    expect(matchBloodType(type)).toEqual({ value: type, text: type, confidence: 1 });
  });

  it('reads spaces and lowercase', () => {
    expect(matchBloodType(' ab + ').value).toBe('AB+');
  });

  it.each([
    ['0', 'O'],
    ['0+', 'O+'],
    ['A8', 'AB'],
  ])('repairs the digit %s read for a letter', (input, value) => {
    expect(matchBloodType(input)).toEqual({ value, text: value, confidence: 0.8 });
  });

  it.each(['-', '--', '—', '−'])('reads the printed unknown %j as a confident null', (input) => {
    expect(matchBloodType(input)).toEqual({ value: null, text: '-', confidence: 1 });
  });

  it.each(['', 'C', 'ABO', 'A++', 'GOL. DARAH', 'X-'])('refuses %j', (input) => {
    expect(matchBloodType(input)).toMatchObject({ value: null, confidence: 0 });
  });
});

describe('matchValidUntil', () => {
  it.each(['SEUMUR HIDUP', 'SEUMURHIDUP', 'seumur hidup'])('reads %j as for life', (input) => {
    expect(matchValidUntil(input)).toEqual({ forLife: true, date: null, text: 'SEUMUR HIDUP', confidence: 1 });
  });

  it('repairs a slip in SEUMUR HIDUP', () => {
    const match = matchValidUntil('SEUMUR HlDUP');
    expect(match.forLife).toBe(true);
    expect(match.confidence).toBeLessThan(1);
  });

  it('reads the date of an older card, which is not for life on paper', () => {
    expect(matchValidUntil('17-08-2017')).toEqual({ forLife: false, date: '2017-08-17', text: '17-08-2017', confidence: 1 });
  });

  it('lowers the confidence of a date it had to repair', () => {
    expect(matchValidUntil('17/O8/2017')).toEqual({ forLife: false, date: '2017-08-17', text: '17-08-2017', confidence: 0.9 });
  });

  it.each(['', 'SEUMUR', '31-02-2017', 'BERLAKU'])('answers unknown for %j', (input) => {
    expect(matchValidUntil(input)).toMatchObject({ forLife: null, date: null, confidence: 0 });
  });
});

describe('matchOccupation', () => {
  it('knows the 89 classic SIAK values, in code order', () => {
    expect(SIAK_OCCUPATIONS).toHaveLength(89);
    expect(new Set(SIAK_OCCUPATIONS).size).toBe(89);
    expect(matchOccupation('BELUM/TIDAK BEKERJA').code).toBe('01');
    expect(matchOccupation('WIRASWASTA').code).toBe('88');
    expect(matchOccupation('LAINNYA').code).toBe('89');
  });

  it('reads every known value as itself, exactly', () => {
    for (const value of [...SIAK_OCCUPATIONS, ...NEWER_OCCUPATIONS]) {
      expect(matchOccupation(value), value).toMatchObject({ value, text: value, confidence: 1, known: true });
    }
  });

  it('reads every known value with its spaces and punctuation dropped', () => {
    for (const value of [...SIAK_OCCUPATIONS, ...NEWER_OCCUPATIONS]) {
      expect(matchOccupation(value.replace(/[^A-Z]/g, '')).value, value).toBe(value);
    }
  });

  it.each([
    ['PNS', 'PEGAWAI NEGERI SIPIL (PNS)', '05'],
    ['PEGAWAI NEGERI SIPIL', 'PEGAWAI NEGERI SIPIL (PNS)', '05'],
    ['IBU RUMAH TANGGA', 'MENGURUS RUMAH TANGGA', '02'],
    ['SWASTA', 'KARYAWAN SWASTA', '15'],
    ['PELAJAR', 'PELAJAR/MAHASISWA', '03'],
    ['MAHASISWA', 'PELAJAR/MAHASISWA', '03'],
    ['TNI', 'TENTARA NASIONAL INDONESIA (TNI)', '06'],
    ['POLRI', 'KEPOLISIAN RI (POLRI)', '07'],
    ['ASN', 'APARATUR SIPIL NEGARA (ASN)', null],
  ])('maps the older free text %s to its canonical value', (input, value, code) => {
    expect(matchOccupation(input)).toMatchObject({ value, known: true, code, confidence: 1 });
  });

  it.each([
    ['KARYAWAN SWASTAA', 'KARYAWAN SWASTA'],
    ['WIRASWASTÂ', 'WIRASWASTA'],
    ['PELAJAR/MAHASISWl', 'PELAJAR/MAHASISWA'],
    ['PEGAWAI NEGER1 SIPIL (PNS)', 'PEGAWAI NEGERI SIPIL (PNS)'],
    ['MENGURUS RUMAH TANGA', 'MENGURUS RUMAH TANGGA'],
  ])('repairs the slip %s', (input, value) => {
    expect(matchOccupation(input)).toMatchObject({ value, known: true });
  });

  it('keeps similar values apart', () => {
    expect(matchOccupation('PEDAGANG').value).toBe('PEDAGANG');
    expect(matchOccupation('PERDAGANGAN').value).toBe('PERDAGANGAN');
    expect(matchOccupation('BUPATI').value).toBe('BUPATI');
    expect(matchOccupation('WAKIL BUPATI').value).toBe('WAKIL BUPATI');
    expect(matchOccupation('KARYAWAN BUMN').value).toBe('KARYAWAN BUMN');
    expect(matchOccupation('KARYAWAN BUMD').value).toBe('KARYAWAN BUMD');
  });

  it('keeps an unknown occupation verbatim, with low confidence', () => {
    expect(matchOccupation('  PENJAHIT  KEBAYA ')).toEqual({
      value: 'PENJAHIT KEBAYA', text: 'PENJAHIT KEBAYA', confidence: 0.3, known: false, code: null,
    });
  });

  it('answers null for an empty read', () => {
    expect(matchOccupation('  ')).toEqual({ value: null, text: '', confidence: 0, known: false, code: null });
  });
});

describe('garbage', () => {
  const closedSets = { matchGender, matchReligion, matchMaritalStatus, matchNationality, matchBloodType };
  for (const [name, match] of Object.entries(closedSets)) {
    it(`${name} matches no garbage`, () => {
      for (const input of GARBAGE) {
        if (name === 'matchBloodType' && input === '-') continue; // the printed "unknown"
        expect(match(input).value, JSON.stringify(input)).toBeNull();
      }
    });
  }

  it('matchOccupation recognises no garbage as a known value', () => {
    for (const input of GARBAGE) expect(matchOccupation(input).known, JSON.stringify(input)).toBe(false);
  });

  it('matchValidUntil reads no garbage as for life or as a date', () => {
    for (const input of GARBAGE) expect(matchValidUntil(input).forLife, JSON.stringify(input)).toBeNull();
  });

  it('no matcher takes a value from another field for its own', () => {
    expect(matchReligion('KAWIN').value).toBeNull();
    expect(matchMaritalStatus('ISLAM').value).toBeNull();
    expect(matchGender('WNI').value).toBeNull();
    expect(matchNationality('ISLAM').value).toBeNull();
    expect(matchOccupation('PEREMPUAN').known).toBe(false);
    expect(matchOccupation('SEUMUR HIDUP').known).toBe(false);
  });
});
