import type { NikCheckData } from '../../../ktp/identity.ts';
import { checkNik, nikDigitOf, readPrintedNik, type PrintedCard } from '../../../ktp/nik.ts';
import type { Glyph } from './glyphs.ts';
import { glyphCompact } from './glyphs.ts';
import { longestDigitRun } from '../engine/nik-rereads.ts';

/** A digit read with less confidence than this is one the recogniser hesitated over. */
const HESITANT = 0.9;

/**
 * The checks want a "today" to pick a century and check the age; a fixed late date keeps the
 * reader pure (the same image reads the same any day), and the printed birth date, not the age
 * check, is what a misread year disagrees with.
 */
const FAR_FUTURE = new Date(Date.UTC(2199, 11, 31));

export interface NikReading {
  digits: string;
  /** Confidence of each digit as it was finally read. */
  digitScores: number[];
  /** The runner-up of one hesitant digit was taken (see readNikDigitsFromGlyphs). */
  tookRunnerUp: boolean;
  /** The checks of the final digits against the printed card. */
  check: NikCheckData;
  /** How many other readings of the row there were, and the share of them that read these digits exactly. */
  rereads: number;
  agreement: number;
}

/**
 * How far a NIK is from being consistent: its hard problems weigh most, then each disagreement
 * with the printed card (birth date, gender, region) and a regency code the tables do not know.
 */
function inconsistency(check: NikCheckData): number {
  return 10 * check.problems.length + check.warnings.length + (check.regencyName === null ? 1 : 0);
}

/**
 * The NIK's digits as the recogniser read them, with one exception. When that reading fails the
 * NIK's checks or disagrees with the printed card, and the runner-up of a digit the recogniser
 * hesitated over (an OCR-A 8 that blur turned into a 0, a 1 read as 3) makes the NIK consistent,
 * that runner-up is taken (the likeliest one, if several would do). It chooses between two readings the recogniser itself saw;
 * it never invents a digit, so a card whose NIK really disagrees with its printed date still shows
 * the disagreement (unless a hesitant digit's second reading happens to resolve it exactly).
 */
export function readNikFromGlyphs(glyphs: readonly Glyph[], printed: PrintedCard): NikReading | null {
  const first = readNikOnce(glyphs, printed);
  if (!first) return null;
  const others = (glyphs.find((g) => g.rereads)?.rereads ?? []).map(longestDigitRun);
  const combined = combineReadings(first, others, printed);
  const agreeing = others.filter((o) => o.digits === combined.digits).length;
  return { ...combined, rereads: others.length, agreement: others.length ? agreeing / others.length : 0 };
}

/**
 * The first reading combined with the others, digit by digit: a digit the first reading
 * hesitated over takes the digit every other reading of the same length agrees on, and a first
 * reading of the wrong length takes the 16 digits at least two others agree on, in either case
 * only when the NIK's checks agree at least as well. A digit read with confidence is never changed.
 */
function combineReadings(first: NikReading, others: readonly { digits: string; scores: number[] }[], printed: PrintedCard): NikReading {
  const { digits } = first;
  const aligned = others.filter((o) => o.digits.length === digits.length);
  if (/^\d{16}$/.test(digits) && first.digitScores.length === 16) {
    if (aligned.length < 2) return first;
    let candidate = digits;
    const scores = [...first.digitScores];
    for (let i = 0; i < 16; i++) {
      if (first.digitScores[i]! >= HESITANT) continue;
      const seen = aligned[0]!.digits[i]!;
      if (seen === digits[i] || !aligned.every((o) => o.digits[i] === seen)) continue;
      candidate = candidate.slice(0, i) + seen + candidate.slice(i + 1);
      scores[i] = aligned.reduce((s, o) => s + o.scores[i]!, 0) / aligned.length;
    }
    if (candidate === digits) return first;
    const check = checkNik(candidate, printed, FAR_FUTURE);
    return inconsistency(check) <= inconsistency(first.check) ? { ...first, digits: candidate, digitScores: scores, check } : first;
  }
  for (const o of others) {
    if (!/^\d{16}$/.test(o.digits) || others.filter((p) => p.digits === o.digits).length < 2) continue;
    const check = checkNik(o.digits, printed, FAR_FUTURE);
    if (inconsistency(check) === 0) return { ...first, digits: o.digits, digitScores: o.scores, check };
  }
  return first;
}

function readNikOnce(glyphs: readonly Glyph[], printed: PrintedCard): NikReading | null {
  // As printed: a malformed NIK (letters, 12 or 14 digits) is read as it is, for checkNik to report.
  const digits = readPrintedNik(glyphCompact(glyphs));
  if (digits === '') return null;
  const digitGlyphs = glyphs.filter((g) => nikDigitOf(g.char) !== null);
  const asRead: NikReading = {
    digits,
    digitScores: digitGlyphs.map((g) => g.score),
    tookRunnerUp: false,
    check: checkNik(digits, printed, FAR_FUTURE),
    rereads: 0,
    agreement: 0,
  };
  // Per-glyph digits must be the same reading (a `NIK` label glued to the value is not): else as read.
  if (digitGlyphs.map((g) => nikDigitOf(g.char)).join('') !== digits) return asRead;
  if (inconsistency(asRead.check) === 0 || !/^\d{16}$/.test(digits)) return asRead;

  let best: NikReading | null = null;
  let bestRunnerUp = 0;
  for (const [i, glyph] of digitGlyphs.entries()) {
    const runnerUp = glyph.alternative;
    const alternative = runnerUp && glyph.score < HESITANT ? nikDigitOf(runnerUp.char) : null;
    if (alternative === null || alternative === digits[i] || runnerUp!.score <= bestRunnerUp) continue;
    const candidate = digits.slice(0, i) + alternative + digits.slice(i + 1);
    const check = checkNik(candidate, printed, FAR_FUTURE);
    if (inconsistency(check) !== 0) continue;
    const digitScores = asRead.digitScores.map((score, k) => (k === i ? runnerUp!.score : score));
    best = { ...asRead, digits: candidate, digitScores, tookRunnerUp: true, check };
    bestRunnerUp = runnerUp!.score;
  }
  return best ?? asRead;
}
