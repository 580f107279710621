/**
 * Card dates (`DD-MM-YYYY`, as printed and as the paid API sends them) to and from ISO `YYYY-MM-DD`.
 */
import { DIGIT_LIKE_CLASS, digitOf } from './look-alikes.ts';

/** A digit of a date, or a character read in its place (src/ktp/look-alikes.ts). */
const GLYPH = DIGIT_LIKE_CLASS;
/** Day, month, year separated by `-`, `/`, `.` or spaces, not glued to a surrounding word. */
const DATE_PATTERN = new RegExp(
  `(?<![0-9A-Za-z])(${GLYPH}{1,2})\\s*[-/.\\s]\\s*(${GLYPH}{1,2})\\s*[-/.\\s]\\s*(${GLYPH}{4})(?![0-9A-Za-z])`,
);

/** Years a KTP date can plausibly carry; anything else is a misread, not a date. */
const FIRST_YEAR = 1800;
const LAST_YEAR = 2199;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year-month-day exists in the Gregorian calendar (and in the years a card can carry). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= FIRST_YEAR && year <= LAST_YEAR &&
    month >= 1 && month <= 12 &&
    day >= 1 && day <= daysInMonth(year, month)
  );
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today's date as ISO, in UTC (a day's error at midnight does not matter for birth dates). */
export function isoToday(today: Date): string {
  return isoDate(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
}

function digits(part: string): string {
  return [...part].map((c) => digitOf(c) ?? c).join('');
}

/**
 * A card date as ISO `YYYY-MM-DD`, or null when the text is empty or holds no real calendar date.
 * Tolerates `/`, `.` and spaces as separators, one-digit days and months, 8 bare digits, and OCR
 * letter slips inside the date (`O1-O1-199O`); words around the date (`JAKARTA, 01-01-1990`) are
 * ignored.
 */
export function parseCardDate(text: string): string | null {
  const trimmed = text.normalize('NFKC').trim();
  if (trimmed === '') return null;
  const compact = /^\d{8}$/.test(trimmed.replace(/\s/g, '')) ? trimmed.replace(/\s/g, '') : null;
  const parts = compact
    ? [compact.slice(0, 2), compact.slice(2, 4), compact.slice(4)]
    : DATE_PATTERN.exec(trimmed)?.slice(1, 4);
  if (!parts) return null;
  // A run of look-alike letters ("SO-OB-SSSS") is a word, not a date: insist on real digits.
  if (parts.join('').replace(/\D/g, '').length < 4) return null;
  const [day, month, year] = parts.map((part) => Number(digits(part)));
  if (day === undefined || month === undefined || year === undefined) return null;
  return isRealDate(year, month, day) ? isoDate(year, month, day) : null;
}

/** ISO `YYYY-MM-DD` back to the card's `DD-MM-YYYY`. Throws on anything else: that is a bug upstream. */
export function toCardDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError('toCardDate expects an ISO YYYY-MM-DD date');
  const [, year, month, day] = match;
  return `${day}-${month}-${year}`;
}
