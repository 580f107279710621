import { parseCardDate, toCardDate } from '../../../ktp/dates.ts';
import { digitOf } from '../../../ktp/look-alikes.ts';

/** Digits (dates, RT/RW) as src/ktp/look-alikes.ts reads them; only where the card prints digits and separators. */
const toDigit = digitOf;

/**
 * A card date (`DD-MM-YYYY`) from what the OCR read of one, or null when it holds no real date.
 * The shared parser handles separators and the usual slips; a date whose dashes were lost or read
 * as letters still has its eight digits.
 */
export function readCardDate(text: string): string | null {
  const iso = parseCardDate(text) ?? parseCardDate(digitsOf(text));
  return iso ? toCardDate(iso) : null;
}

/**
 * RT and RW from `006/003`. The slash is sometimes read as `1` or `l`, which makes seven digits;
 * a dropped leading zero makes a shorter part, which the card never prints, so it is padded back.
 */
export function readRtRw(text: string): { rt: string; rw: string; exact: boolean } | null {
  const cleaned = text.replace(/\s+/g, '');
  const slash = cleaned.search(/[/\\]/);
  let rt: string;
  let rw: string;
  if (slash >= 0) {
    rt = digitsOf(cleaned.slice(0, slash));
    rw = digitsOf(cleaned.slice(slash + 1));
  } else {
    const all = digitsOf(cleaned);
    if (all.length === 7) [rt, rw] = [all.slice(0, 3), all.slice(4)];
    else if (all.length === 6) [rt, rw] = [all.slice(0, 3), all.slice(3)];
    else return null;
  }
  if (!rt || !rw || rt.length > 3 || rw.length > 3) return null;
  const exact = rt.length === 3 && rw.length === 3;
  return { rt: rt.padStart(3, '0'), rw: rw.padStart(3, '0'), exact };
}

function digitsOf(text: string): string {
  return [...text].map(toDigit).filter((d): d is string => d !== null).join('');
}
