/**
 * The NIK row read more than once. A wrong NIK reported as sure is the one error a KYC flow
 * cannot afford, and one reading cannot tell a clean digit from a confidently misread one; other
 * readings of the same ink can. A line that holds a NIK's run of digits is read again from a crop
 * a little taller and squeezed and stretched a little (none of them a crop or scale readBox already
 * used, so that a reading never agrees with a copy of itself). The reader (reading/nik.ts) combines
 * them per digit and says how many agreed, which its confidence weighs.
 */
import { digitOf } from '../../../ktp/look-alikes.ts';
import type { TextBox } from './detect.ts';
import type { BoxReader } from './read-page.ts';
import type { CtcChar, RecognisedLine } from './recognize.ts';

/** A run of this many digits is a NIK's (a date has 8, RT/RW 6): only such lines are read again. */
export const NIK_RUN = 12;

/** Each other reading: how much taller each side (share of the height) and the horizontal scale. */
const REREADS = [
  { pad: 0.15, scale: 1 },
  { pad: 0, scale: 0.9 },
  { pad: 0, scale: 1.1 },
] as const;

/** The longest run of characters that read as digits, as digits with their scores. */
export function longestDigitRun(chars: readonly { char: string; score: number }[]): { digits: string; scores: number[] } {
  let best = { digits: '', scores: [] as number[] };
  let run = { digits: '', scores: [] as number[] };
  for (const c of chars) {
    const d = c.char.trim() === '' ? null : digitOf(c.char.normalize('NFKC'));
    if (d === null) {
      run = { digits: '', scores: [] };
      continue;
    }
    run = { digits: run.digits + d, scores: [...run.scores, c.score] };
    if (run.digits.length > best.digits.length) best = run;
  }
  return best;
}

/** The line with its other readings attached when it holds a NIK's run of digits; as it is otherwise. */
export async function withNikRereads(read: BoxReader, box: TextBox, line: RecognisedLine): Promise<RecognisedLine> {
  if (longestDigitRun(line.chars).digits.length < NIK_RUN) return line;
  const rereads: CtcChar[][] = [];
  for (const { pad, scale } of REREADS) {
    const grown = { ...box, y: box.y - box.height * pad, height: box.height * (1 + 2 * pad) };
    rereads.push((await read(grown, { scale })).chars);
  }
  return { ...line, rereads };
}
