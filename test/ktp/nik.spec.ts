import { describe, expect, it } from 'vitest';
import type { Gender } from '../../src/ktp/identity.ts';
import { checkNik, readNikDigits, readPrintedNik, type PrintedCard } from '../../src/ktp/nik.ts';

/** Every NIK here is synthetic: a real district code, a made-up birth and serial. */
const TODAY = new Date('2025-06-15T08:00:00Z');
const BANDUNG_SUKASARI = '327301';

function nik(ddmmyy: string, { region = BANDUNG_SUKASARI, serial = '0001' } = {}): string {
  return region + ddmmyy + serial;
}

const UNKNOWN_CARD: PrintedCard = { birthDate: null, gender: null };

function card(birthDate: string | null, gender: Gender | null, extra: Partial<PrintedCard> = {}): PrintedCard {
  return { birthDate, gender, ...extra };
}

describe('readNikDigits', () => {
  it('keeps a clean NIK as it is', () => {
    expect(readNikDigits('3273011505900001')).toBe('3273011505900001');
  });

  it('drops spaces, dots and dashes', () => {
    expect(readNikDigits(' 3273 0115 0590 0001 ')).toBe('3273011505900001');
    expect(readNikDigits('32.73.01.150590.0001')).toBe('3273011505900001');
    expect(readNikDigits('3273-0115-0590-0001')).toBe('3273011505900001');
  });

  it.each([
    ['O', '0'], ['D', '0'], ['Q', '0'],
    ['I', '1'], ['l', '1'], ['|', '1'], ['T', '1'],
    ['Z', '2'], ['S', '5'], ['b', '6'], ['G', '6'], ['?', '7'], ['B', '8'],
  ])('reads the OCR-A slip %s as %s', (glyph, digit) => {
    expect(readNikDigits(`32${glyph}3`)).toBe(`32${digit}3`);
  });

  it('tells b (6) from B (8) by case', () => {
    expect(readNikDigits('bB')).toBe('68');
  });

  it('does not turn the NIK label into digits', () => {
    expect(readNikDigits('NIK : 3273011505900001')).toBe('3273011505900001');
    expect(readNikDigits('NIK: 3273011505900001')).toBe('3273011505900001');
  });

  it('drops other letters and returns what is left, whatever its length', () => {
    expect(readNikDigits('32x73')).toBe('3273');
    expect(readNikDigits('')).toBe('');
    expect(readNikDigits('---')).toBe('');
  });
});

describe('readPrintedNik', () => {
  it('keeps what is printed: letters that are no digit stay, nothing is padded or cut', () => {
    expect(readPrintedNik('3273XXXXXXXX0001')).toBe('3273XXXXXXXX0001');
    expect(readPrintedNik('NIK : 327301150590')).toBe('327301150590');
    expect(readPrintedNik('32730115059000012')).toBe('32730115059000012');
    expect(readPrintedNik(' 3273 0115 0590 0001 ')).toBe('3273011505900001');
  });
});

describe('checkNik: placeholders', () => {
  it.each(['1111111111111111', '0000000000000000', '1234567890123456', '9876543210987654'])('calls %s a placeholder', (value) => {
    expect(checkNik(value, UNKNOWN_CARD, TODAY).problems).toContain(
      'The NIK looks like a placeholder (one repeated character or a counting sequence), not an issued number.',
    );
  });
});

describe('checkNik: hard checks', () => {
  it('accepts a well-formed NIK and decodes every part', () => {
    expect(checkNik(nik('150590'), UNKNOWN_CARD, TODAY)).toEqual({
      valid: true,
      problems: [],
      warnings: [],
      provinceCode: '32',
      regencyCode: '3273',
      districtCode: '327301',
      provinceName: 'JAWA BARAT',
      regencyName: 'KOTA BANDUNG',
      districtName: 'SUKASARI',
      birthDate: '1990-05-15',
      gender: 'MALE',
      serial: '0001',
      birthDateMatchesCard: null,
      genderMatchesCard: null,
    });
  });

  it.each([
    ['15 digits', '327301150590001', ['The NIK has 15 characters; a NIK has 16 digits.']],
    ['17 digits', '32730115059000012', ['The NIK has 17 characters; a NIK has 16 digits.']],
    ['12 digits', '327301150590', ['The NIK has 12 characters; a NIK has 16 digits.']],
    ['a letter left in it', '32730115059X0001', ['The NIK contains characters that are not digits.']],
    ['letters and the wrong length', '3273XXXXXXXX01', [
      'The NIK contains characters that are not digits.',
      'The NIK has 14 characters; a NIK has 16 digits.',
      'The NIK looks like a placeholder (one repeated character or a counting sequence), not an issued number.',
    ]],
    ['nothing', '', ['No NIK was read on the card.']],
  ])('rejects %s without decoding anything, naming each problem', (_case, value, problems) => {
    const check = checkNik(value, UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(problems);
    expect(check.provinceCode).toBeNull();
    expect(check.birthDate).toBeNull();
  });

  it.each(['00', '20', '99', '97'])('rejects province code %s', (province) => {
    const check = checkNik(nik('150590', { region: `${province}7301` }), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK province code is not a Kemendagri province.']);
    expect(check.provinceName).toBeNull();
  });

  it.each([
    ['91', 'PAPUA'],
    ['92', 'PAPUA BARAT'],
    ['93', 'PAPUA SELATAN'],
    ['94', 'PAPUA TENGAH'],
    ['95', 'PAPUA PEGUNUNGAN'],
    ['96', 'PAPUA BARAT DAYA'],
  ])('accepts the Papua province code %s (%s)', (province, name) => {
    const check = checkNik(nik('150590', { region: `${province}0101` }), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(true);
    expect(check.provinceName).toBe(name);
  });

  it('accepts a pre-2022 Papua NIK whose regency code has since moved, without naming the regency', () => {
    // 91.01 was Merauke before it moved to Papua Selatan (93.01); old NIKs keep the old code.
    const check = checkNik(nik('150590', { region: '910101' }), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(true);
    expect(check.regencyName).toBeNull();
  });

  it.each([
    ['day 00', '000590'],
    ['day 32 (beyond 31 for a man)', '320590'],
    ['day 40 (between the ranges)', '400590'],
    ['day 72 (beyond 71 for a woman)', '720590'],
  ])('rejects %s', (_case, ddmmyy) => {
    const check = checkNik(nik(ddmmyy), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK birth day is neither 01-31 (men) nor 41-71 (women).']);
    expect(check.birthDate).toBeNull();
    expect(check.gender).toBeNull();
  });

  it.each([
    ['month 13', '151390'],
    ['month 00', '150090'],
  ])('rejects %s', (_case, ddmmyy) => {
    const check = checkNik(nik(ddmmyy), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK birth month is not 01-12.']);
  });

  it.each([
    ['31 April for a man', '310490'],
    ['31 April for a woman (71)', '710490'],
    ['30 February', '300290'],
  ])('rejects a day the calendar does not have: %s', (_case, ddmmyy) => {
    const check = checkNik(nik(ddmmyy), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK birth date is not a real calendar day.']);
  });

  it('rejects serial 0000', () => {
    const check = checkNik(nik('150590', { serial: '0000' }), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK serial is 0000; serials start at 0001.']);
    expect(check.serial).toBe('0000');
  });

  it('reports every hard problem at once', () => {
    const check = checkNik('0073013213900000', UNKNOWN_CARD, TODAY);
    expect(check.problems).toHaveLength(4);
  });
});

describe('checkNik: the +40 rule', () => {
  it.each([
    ['01', '1990-05-01', 'MALE'],
    ['31', '1990-05-31', 'MALE'],
    ['41', '1990-05-01', 'FEMALE'],
    ['55', '1990-05-15', 'FEMALE'],
    ['71', '1990-05-31', 'FEMALE'],
  ])('reads birth day %s as %s, %s', (day, birthDate, gender) => {
    const check = checkNik(nik(`${day}0590`), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(true);
    expect(check.birthDate).toBe(birthDate);
    expect(check.gender).toBe(gender);
  });

  it("reads a woman's 29 February with the +40 rule (69)", () => {
    const check = checkNik(nik('690292'), UNKNOWN_CARD, TODAY);
    expect(check.birthDate).toBe('1992-02-29');
    expect(check.gender).toBe('FEMALE');
  });
});

describe('checkNik: the century', () => {
  it.each([
    ['a year that would be in the future in 20xx', '150575', '1975-05-15'],
    ['this year, later in the year', '151225', '1925-12-15'],
    ['a year already past in 20xx', '150505', '2005-05-15'],
    ['00', '150500', '2000-05-15'],
    ['99', '150599', '1999-05-15'],
  ])('picks the century not in the future for %s', (_case, ddmmyy, birthDate) => {
    expect(checkNik(nik(ddmmyy), UNKNOWN_CARD, TODAY).birthDate).toBe(birthDate);
  });

  it('takes the century from the printed birth date when its last two digits agree', () => {
    const check = checkNik(nik('150520'), card('1920-05-15', 'MALE'), TODAY);
    expect(check.birthDate).toBe('1920-05-15');
    expect(check.birthDateMatchesCard).toBe(true);
    expect(check.warnings).toEqual([]);
  });

  it('warns, without rejecting, when the decoded holder is younger than 17', () => {
    const check = checkNik(nik('150520'), UNKNOWN_CARD, TODAY);
    expect(check.birthDate).toBe('2020-05-15');
    expect(check.valid).toBe(true);
    expect(check.warnings).toEqual(['The NIK birth date makes the holder younger than 17, the age a KTP is issued at.']);
  });

  it('accepts 29 February 2000, a leap year because it is divisible by 400', () => {
    const check = checkNik(nik('290200'), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(true);
    expect(check.birthDate).toBe('2000-02-29');
  });

  it('rejects 29 February of a year that is leap in no century', () => {
    const check = checkNik(nik('290201'), UNKNOWN_CARD, TODAY);
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual(['The NIK birth date is 29 February of a year that is not a leap year.']);
  });

  it('falls back to 1900 when 29 February 2000 has not happened yet', () => {
    // Neither 2000 (future) nor 1900 (not leap) works.
    const check = checkNik(nik('290200'), UNKNOWN_CARD, new Date('1999-12-31T00:00:00Z'));
    expect(check.valid).toBe(false);
  });
});

describe('checkNik: cross-checks against the printed card', () => {
  it('confirms a printed birth date and gender that agree', () => {
    const check = checkNik(nik('550590'), card('1990-05-15', 'FEMALE'), TODAY);
    expect(check.birthDateMatchesCard).toBe(true);
    expect(check.genderMatchesCard).toBe(true);
    expect(check.warnings).toEqual([]);
  });

  it('warns, but stays valid, when the printed birth date differs', () => {
    const check = checkNik(nik('150590'), card('1990-05-16', 'MALE'), TODAY);
    expect(check.valid).toBe(true);
    expect(check.birthDateMatchesCard).toBe(false);
    expect(check.warnings).toEqual(['The NIK birth date differs from the printed birth date.']);
  });

  it('warns, but stays valid, when the printed gender contradicts the +40 rule', () => {
    const check = checkNik(nik('150590'), card('1990-05-15', 'FEMALE'), TODAY);
    expect(check.valid).toBe(true);
    expect(check.genderMatchesCard).toBe(false);
    expect(check.warnings).toEqual(['The NIK gender (+40 rule) differs from the printed gender.']);
  });

  it('does not compare what it could not decode', () => {
    const check = checkNik(nik('320590'), card('1990-05-15', 'MALE'), TODAY);
    expect(check.birthDateMatchesCard).toBeNull();
    expect(check.genderMatchesCard).toBeNull();
  });

  it('says nothing about the region when the card prints the NIK region', () => {
    const check = checkNik(nik('150590'), card(null, null, {
      province: 'JAWA BARAT', city: 'KOTA BANDUNG', district: 'SUKASARI',
    }), TODAY);
    expect(check.warnings).toEqual([]);
  });

  it('matches printed region names despite dropped spaces', () => {
    const check = checkNik(nik('150590'), card(null, null, { province: 'JAWABARAT', city: 'KOTABANDUNG' }), TODAY);
    expect(check.warnings).toEqual([]);
  });

  it.each([
    ['province', { province: 'DKI JAKARTA', city: 'JAKARTA SELATAN' }, 'another province'],
    ['regency', { province: 'JAWA BARAT', city: 'KABUPATEN BOGOR' }, 'another regency/city'],
    ['district', { province: 'JAWA BARAT', city: 'KOTA BANDUNG', district: 'COBLONG' }, 'another district'],
  ])('warns, never rejects, when the printed %s differs from the registration region', (_case, region, words) => {
    const check = checkNik(nik('150590'), card(null, null, region), TODAY);
    expect(check.valid).toBe(true);
    expect(check.warnings).toHaveLength(1);
    expect(check.warnings[0]).toContain(words);
  });

  it('says nothing about a printed region name it cannot resolve', () => {
    const check = checkNik(nik('150590'), card(null, null, { province: 'XQWZ', city: '###', district: 'KJHGF QWE' }), TODAY);
    expect(check.warnings).toEqual([]);
  });

  it('never quotes the NIK or the dates in its messages', () => {
    const value = nik('150599', { serial: '0000' });
    const check = checkNik(value, card('1999-06-16', 'FEMALE', { province: 'DKI JAKARTA' }), TODAY);
    const messages = [...check.problems, ...check.warnings].join(' ');
    expect(check.warnings.length + check.problems.length).toBeGreaterThan(2);
    expect(messages).not.toMatch(/1999|150599|3273|0000 /);
  });
});

describe('checkNik at the edges of a date (found by StrykerJS)', () => {
  const UNDER_17 = 'The NIK birth date makes the holder younger than 17, the age a KTP is issued at.';

  it('is 17 on the 17th birthday, not the day before', () => {
    // Born 15 June 2008 (a man): 17 on TODAY, 2025-06-15.
    expect(checkNik(nik('150608'), UNKNOWN_CARD, TODAY).warnings).not.toContain(UNDER_17);
    expect(checkNik(nik('160608'), UNKNOWN_CARD, TODAY).warnings).toContain(UNDER_17);
    // Born 15 July 2007: 17 for eleven months already; born 15 May 2008: 17 a month ago.
    expect(checkNik(nik('150707'), UNKNOWN_CARD, TODAY).warnings).not.toContain(UNDER_17);
    expect(checkNik(nik('150508'), UNKNOWN_CARD, TODAY).warnings).not.toContain(UNDER_17);
    // Born 15 July 2008: 16 until next month.
    expect(checkNik(nik('150708'), UNKNOWN_CARD, TODAY).warnings).toContain(UNDER_17);
  });

  it('takes a birth on the very day the card is checked as this century’s, not the last', () => {
    expect(checkNik(nik('150625'), UNKNOWN_CARD, TODAY).birthDate).toBe('2025-06-15');
  });

  it('accepts January and December, and refuses month 00 and 13', () => {
    expect(checkNik(nik('150190'), UNKNOWN_CARD, TODAY).birthDate).toBe('1990-01-15');
    expect(checkNik(nik('151290'), UNKNOWN_CARD, TODAY).birthDate).toBe('1990-12-15');
    expect(checkNik(nik('150090'), UNKNOWN_CARD, TODAY).problems).toContain('The NIK birth month is not 01-12.');
    expect(checkNik(nik('151390'), UNKNOWN_CARD, TODAY).problems).toContain('The NIK birth month is not 01-12.');
  });

  it('names 29 February of a common year, and only that, as the reason', () => {
    expect(checkNik(nik('290201'), UNKNOWN_CARD, TODAY).problems).toContain('The NIK birth date is 29 February of a year that is not a leap year.');
    expect(checkNik(nik('310401'), UNKNOWN_CARD, TODAY).problems).toContain('The NIK birth date is not a real calendar day.');
  });
});
