import { describe, expect, it } from 'vitest';
import { isLeapYear, isoToday, isRealDate, parseCardDate, toCardDate } from '../../src/ktp/dates.ts';

describe('parseCardDate', () => {
  it.each([
    ['01-01-1961', '1961-01-01'],
    ['17-08-1945', '1945-08-17'],
    ['31-12-2000', '2000-12-31'],
  ])('reads the printed DD-MM-YYYY %s as ISO', (text, iso) => {
    expect(parseCardDate(text)).toBe(iso);
  });

  it.each([
    ['slashes', '05/11/1987', '1987-11-05'],
    ['dots', '05.11.1987', '1987-11-05'],
    ['spaces', '05 11 1987', '1987-11-05'],
    ['spaces around the dashes', ' 05 - 11 - 1987 ', '1987-11-05'],
    ['one-digit day and month', '5-1-1987', '1987-01-05'],
    ['eight bare digits', '05111987', '1987-11-05'],
    ['O read for 0', 'O5-11-199O', '1990-11-05'],
    ['D and Q read for 0', 'D5-1Q-1990', '1990-10-05'],
    ['I, l and | read for 1', 'I1-l1-|990', '1990-11-11'],
    ['S read for 5', '2S-12-1985', '1985-12-25'],
    ['B read for 8 and G for 6', '0B-0G-1988', '1988-06-08'],
    ['Z read for 2', 'Z1-02-1992', '1992-02-21'],
    ['the place of birth in front', 'JAKARTA, 12-05-1990', '1990-05-12'],
    ['full-width digits', '１２-０５-１９９０', '1990-05-12'],
  ])('tolerates %s', (_case, text, iso) => {
    expect(parseCardDate(text)).toBe(iso);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['not a date', 'SEUMUR HIDUP'],
    ['day 32', '32-01-1990'],
    ['day 00', '00-01-1990'],
    ['month 13', '01-13-1990'],
    ['month 00', '01-00-1990'],
    ['31 April', '31-04-1990'],
    ['29 February of a common year', '29-02-1990'],
    ['29 February 1900 (not a leap year)', '29-02-1900'],
    ['a two-digit year', '01-01-90'],
    ['year 0000', '01-01-0000'],
    ['letters only, even look-alike ones', 'SO-OB-SSSS'],
    ['digits glued into a longer number', '3171024302821001'],
  ])('answers null for %s', (_case, text) => {
    expect(parseCardDate(text)).toBeNull();
  });

  it('accepts 29 February of a leap year, including 2000', () => {
    expect(parseCardDate('29-02-1992')).toBe('1992-02-29');
    expect(parseCardDate('29-02-2000')).toBe('2000-02-29');
  });
});

describe('isLeapYear', () => {
  it.each([
    [1900, false],
    [1992, true],
    [2000, true],
    [2023, false],
    [2024, true],
  ])('knows %i', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});

describe('toCardDate', () => {
  it('prints ISO back as DD-MM-YYYY', () => {
    expect(toCardDate('1961-01-01')).toBe('01-01-1961');
    expect(toCardDate('2024-02-29')).toBe('29-02-2024');
  });

  it('round-trips with parseCardDate', () => {
    for (const text of ['01-01-1961', '29-02-2000', '31-12-2099']) {
      expect(toCardDate(parseCardDate(text)!)).toBe(text);
    }
  });

  it('refuses a value that is not ISO, as that is a bug upstream', () => {
    expect(() => toCardDate('01-01-1961')).toThrow(RangeError);
  });
});

describe('dates at their edges (found by StrykerJS)', () => {
  it('keeps the years a card can carry, 1800 to 2199 inclusive, and whole numbers only', () => {
    expect(isRealDate(1800, 1, 1)).toBe(true);
    expect(isRealDate(1799, 12, 31)).toBe(false);
    expect(isRealDate(2199, 12, 31)).toBe(true);
    expect(isRealDate(2200, 1, 1)).toBe(false);
    expect(isRealDate(1990, 1.5, 1)).toBe(false);
    expect(isRealDate(1990, 1, 1.5)).toBe(false);
    expect(isRealDate(1990.5, 1, 1)).toBe(false);
  });

  it('isoToday is the UTC calendar day, months counted from 1', () => {
    expect(isoToday(new Date(Date.UTC(2026, 0, 5, 23, 30)))).toBe('2026-01-05');
    expect(isoToday(new Date(Date.UTC(2026, 11, 31)))).toBe('2026-12-31');
  });

  it('reads eight bare digits, spaces between them or around them, as DDMMYYYY', () => {
    expect(parseCardDate(' 0101 1990 ')).toBe('1990-01-01');
    expect(parseCardDate('31121999')).toBe('1999-12-31');
    // Nine digits are not a bare date.
    expect(parseCardDate('310121999')).toBeNull();
  });

  it('refuses blank text and a run of look-alike letters with fewer than four real digits', () => {
    expect(parseCardDate('   ')).toBeNull();
    expect(parseCardDate('SO-OB-SSSS')).toBeNull();
    expect(parseCardDate('SO-OB-1SSS')).toBeNull();
  });

  it('toCardDate refuses ISO with anything before or after it', () => {
    expect(() => toCardDate('x1990-01-01')).toThrow('toCardDate expects an ISO YYYY-MM-DD date');
    expect(() => toCardDate('1990-01-01x')).toThrow('toCardDate expects an ISO YYYY-MM-DD date');
  });
});
