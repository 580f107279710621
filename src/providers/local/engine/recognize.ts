import type ort from 'onnxruntime-node';
import { crop, resize, type Raster } from '../pipeline/raster.ts';
import { charExtents, inkColumns } from './char-extents.ts';
import { inkRuns, type InkRun } from './ink-runs.ts';
import { toBgrTensor } from './tensor.ts';
import { digitOf } from '../../../ktp/look-alikes.ts';

/** One recognised character and the horizontal span of the CTC time steps that emitted it. */
export interface CtcChar {
  char: string;
  /** In the pixels of the image the line was cut from. */
  x0: number;
  x1: number;
  score: number;
  /** The recogniser's runner-up for this character, when it had one (see ctcDecode). */
  alternative?: { char: string; score: number };
  /** Ink darkness against the crop's paper, 0..1 (see inkDarkness). */
  ink?: number;
}

export interface RecognisedLine {
  score: number;
  chars: CtcChar[];
  /** The separate pieces of ink of the crop, in the image's pixels (see inkRuns). */
  inkRuns?: InkRun[];
  /** Other readings of the same line, when it holds a NIK (see engine/nik-rereads.ts). */
  rereads?: CtcChar[][];
}

const REC_HEIGHT = 48;
/** Longer crops are squeezed: a whole card row is ~25 heights long, nothing on a KTP is longer. */
const MAX_REC_WIDTH = 48 * 40;
const REC_MEAN = [0.5, 0.5, 0.5] as const;
const REC_STD = [0.5, 0.5, 0.5] as const;

/**
 * Reads one text box. The crop is scaled to the recogniser's 48 px height, so each CTC time step
 * covers `cropWidth / T` pixels of the crop; the steps that emitted a character place its centre,
 * and the crop's ink gives its extent (see charExtents). The recogniser often drops the space
 * between Latin words, but the gap it would have printed stays visible in these extents.
 */
export async function recogniseBox(
  session: ort.InferenceSession,
  dictionary: readonly string[],
  image: Raster,
  box: { x: number; y: number; width: number; height: number },
  options: RecogniseOptions = {},
): Promise<RecognisedLine> {
  const piece = crop(image, box.x, box.y, box.width, box.height);
  const ink = inkColumns(piece);
  const scale = options.scale ?? 1;
  const targetWidth = Math.max(16, Math.min(MAX_REC_WIDTH, Math.round((piece.width * scale * REC_HEIGHT) / piece.height)));
  const input = resize(piece, targetWidth, REC_HEIGHT);
  const tensor = toBgrTensor(input, REC_MEAN, REC_STD);
  const outputs = await session.run({ [session.inputNames[0]!]: tensor });
  const output = outputs[session.outputNames[0]!]!;
  const [, steps, classes] = output.dims as number[];
  const decoded = ctcDecode(output.data as Float32Array, steps!, classes!, dictionary);
  tensor.dispose();
  output.dispose();
  // The crop was clamped to the image, so measure from where it really starts.
  const originX = Math.max(0, Math.floor(box.x));
  const pxPerStep = piece.width / steps!;
  const centres = decoded.chars.map((c) => ((c.first + c.last + 1) / 2) * pxPerStep);
  const extents = charExtents(ink, centres);
  const darkness = inkDarkness(piece, extents);
  return {
    score: decoded.score,
    chars: decoded.chars.map((c, i) => ({
      char: c.char,
      x0: originX + extents[i]!.x0,
      x1: originX + extents[i]!.x1,
      score: c.score,
      ...(c.alternative ? { alternative: c.alternative } : {}),
      ink: darkness[i]!,
    })),
    inkRuns: inkRuns(ink, piece.height).map((r) => ({ x0: originX + r.x0, x1: originX + r.x1 })),
  };
}

export interface RecogniseOptions {
  /**
   * The crop's horizontal scale before it is read (the height is always REC_HEIGHT): the
   * characters' positions come back in the image's pixels whatever it is. Default 1.
   */
  scale?: number;
}

export interface CtcStepChar {
  char: string;
  /** First and last time step (inclusive) of the run that emitted it. */
  first: number;
  last: number;
  score: number;
  /**
   * The best other character over the run's steps (never the blank), with its probability. A digit
   * the recogniser hesitated over (an OCR-A 8 that lost a stroke to blur reads as 0) keeps the
   * digit it nearly read, for the NIK reader to weigh against the NIK's own checks.
   */
  alternative?: { char: string; score: number };
}

/** Runner-ups below this are noise: the softmax spreads a little mass over every class. */
const MIN_ALTERNATIVE_SCORE = 0.01;

/**
 * Punctuation that blur thins to a speck the recogniser nearly emits: over the blank steps between
 * two characters, the speck's class climbs well above noise (0.13 to 0.40 where a blurred card
 * prints `JL.`, under 0.01 where it prints nothing) but stays under the blank.
 */
const SPECKS = new Set(['.', ',', '/']);
/** A speck's best probability over a blank run from which it counts as nearly emitted. */
const NEARLY_EMITTED = 0.1;

/**
 * Greedy CTC: argmax per step, runs of one class collapse to one character, blanks (class 0)
 * separate. The score of a character is the best probability in its run; the line's is the mean.
 * One exception to greedy: a speck of punctuation (SPECKS) that the recogniser nearly emitted
 * between a letter and the next character is kept, with its own low probability as its score, so
 * that the reader sees the doubt (`JL. CUT` whose dot blur thinned read as `JL CUT`). Only after
 * a letter: between digits (a date, a NIK) nothing is added.
 */
export function ctcDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  dictionary: readonly string[],
): { text: string; score: number; chars: CtcStepChar[] } {
  const chars: CtcStepChar[] = [];
  let previous = 0;
  const speckClasses = dictionary.flatMap((c, i) => (SPECKS.has(c) ? [i + 1] : []));
  const lookAlikes = lookAlikeGroups(dictionary);
  /** The likeliest speck over the current run of blanks. */
  let speck: { cls: number; p: number; t: number } | null = null;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -1;
    // The runner-up among the characters (class 0, the blank, is not a reading).
    let second = 0;
    let secondP = -1;
    const base = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        if (best !== 0) [second, secondP] = [best, bestP];
        bestP = p;
        best = c;
      } else if (c !== 0 && p > secondP) {
        second = c;
        secondP = p;
      }
    }
    // A character the recogniser spread over its look-alikes (`l` 0.29 and `1` 0.19 against the
    // blank's 0.33, where OCR-A prints a 1) is there: alone between blanks, it is emitted as its
    // likeliest look-alike, with that look-alike's low probability as its score.
    if (best === 0 && previous === 0 && t > 0) {
      const spread = spreadCharacter(probs, base, bestP, lookAlikes);
      if (spread && (t + 1 >= steps || argmax(probs, base + classes, classes) === 0)) {
        [best, bestP, second, secondP] = [spread.cls, spread.p, spread.second, spread.secondP];
      }
    }
    if (best === 0) {
      for (const cls of speckClasses) {
        const p = probs[base + cls]!;
        if (p >= NEARLY_EMITTED && (!speck || p > speck.p)) speck = { cls, p, t };
      }
    } else if (best !== previous) {
      const before = chars[chars.length - 1];
      const next = dictionary[best - 1] ?? '';
      if (speck && before && /^\p{L}$/u.test(before.char) && !SPECKS.has(next)) {
        chars.push({ char: dictionary[speck.cls - 1]!, first: speck.t, last: speck.t, score: speck.p });
      }
      speck = null;
    }
    if (best !== 0 && best === previous) {
      const current = chars[chars.length - 1]!;
      current.last = t;
      current.score = Math.max(current.score, bestP);
      keepAlternative(current, second, secondP, dictionary);
    } else if (best !== 0) {
      const char: CtcStepChar = { char: dictionary[best - 1] ?? '', first: t, last: t, score: bestP };
      keepAlternative(char, second, secondP, dictionary);
      chars.push(char);
    }
    previous = best;
  }
  const text = chars.map((c) => c.char).join('');
  const score = chars.length === 0 ? 0 : chars.reduce((s, c) => s + c.score, 0) / chars.length;
  return { text, score, chars };
}

/** The classes of each group of look-alikes (a digit and what is read for it, src/ktp/look-alikes.ts). */
const groupsByDictionary = new WeakMap<readonly string[], number[][]>();

function lookAlikeGroups(dictionary: readonly string[]): number[][] {
  const known = groupsByDictionary.get(dictionary);
  if (known) return known;
  const groups = new Map<string, number[]>();
  dictionary.forEach((c, i) => {
    const digit = digitOf(c.normalize('NFKC'));
    if (digit === null) return;
    groups.set(digit, [...(groups.get(digit) ?? []), i + 1]);
  });
  const list = [...groups.values()].filter((g) => g.length > 1);
  groupsByDictionary.set(dictionary, list);
  return list;
}

/** The likeliest member (and runner-up) of a look-alike group whose members together outweigh the blank. */
function spreadCharacter(probs: Float32Array, base: number, blank: number, groups: readonly number[][]) {
  let found: { cls: number; p: number; second: number; secondP: number; sum: number } | null = null;
  for (const group of groups) {
    let sum = 0;
    let [cls, p, second, secondP] = [0, -1, 0, -1];
    for (const c of group) {
      const q = probs[base + c]!;
      sum += q;
      if (q > p) [second, secondP, cls, p] = [cls, p, c, q];
      else if (q > secondP) [second, secondP] = [c, q];
    }
    if (sum > blank && (!found || sum > found.sum)) found = { cls, p, second, secondP, sum };
  }
  return found;
}

function argmax(probs: Float32Array, base: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (probs[base + c]! > probs[base + best]!) best = c;
  return best;
}

function keepAlternative(char: CtcStepChar, cls: number, p: number, dictionary: readonly string[]): void {
  if (cls === 0 || p < MIN_ALTERNATIVE_SCORE) return;
  const text = dictionary[cls - 1];
  if (text === undefined || text === char.char) return;
  if (!char.alternative || p > char.alternative.score) char.alternative = { char: text, score: p };
}

/**
 * How dark each character is against the crop's paper, 0..1: the paper is the crop's 90th
 * percentile of brightness, the character's ink the 5th percentile of its columns' central band.
 * Printed values are dark; a watermark crossing the card is faint, and the reader drops it.
 */
export function inkDarkness(piece: Raster, extents: readonly { x0: number; x1: number }[]): number[] {
  const { width, height, data } = piece;
  // Grey levels once, then histograms: no sorting, a few microseconds a character.
  const grey = new Uint8Array(width * height);
  const all = new Uint32Array(256);
  for (let i = 0; i < width * height; i++) {
    const v = (data[i * 3]! * 299 + data[i * 3 + 1]! * 587 + data[i * 3 + 2]! * 114) / 1000;
    grey[i] = v;
    all[grey[i]!]!++;
  }
  const paper = level(all, width * height, 0.9);
  const y0 = Math.floor(height * 0.15);
  const y1 = Math.max(y0 + 1, Math.ceil(height * 0.85));
  // Widened each side: a narrow glyph's extent can miss its own stroke by a pixel or two.
  const pad = Math.max(2, 0.15 * height);
  const histogram = new Uint32Array(256);
  return extents.map(({ x0, x1 }) => {
    histogram.fill(0);
    const a = Math.max(0, Math.min(width - 1, Math.floor(x0 - pad)));
    const b = Math.max(a + 1, Math.min(width, Math.ceil(x1 + pad)));
    for (let y = y0; y < y1; y++) for (let x = a; x < b; x++) histogram[grey[y * width + x]!]!++;
    const dark = level(histogram, (y1 - y0) * (b - a), 0.05);
    return Math.round((Math.max(0, paper - dark) / 255) * 1000) / 1000;
  });
}

/** The grey level below which a share `q` of the histogram's pixels lie. */
function level(histogram: Uint32Array, total: number, q: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += histogram[v]!;
    if (acc >= total * q) return v;
  }
  return 255;
}
