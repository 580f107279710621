import type { OcrLine } from '../ocr-line.ts';

/**
 * One recognised character with its place on the card. Everything downstream works on glyph runs
 * rather than strings, so that a value keeps its geometry (for spaces and columns) and its scores.
 */
export interface Glyph {
  char: string;
  x0: number;
  x1: number;
  /** Vertical bounds of the detected line the glyph came from. */
  y0: number;
  y1: number;
  score: number;
  /** What the recogniser nearly read instead (the NIK reader weighs it against the NIK's checks). */
  alternative?: { char: string; score: number };
  /** Ink darkness against the paper, 0..1, when the engine measured it (see OcrLine). */
  ink?: number;
  /** The other readings of the glyph's line, when the engine read it more than once (see OcrLine). */
  rereads?: OcrLine['rereads'];
  /**
   * A word boundary we are sure of: the recogniser printed a space here, or the glyph opens a new
   * detected box. Gaps the recogniser swallowed are found later, in spaces.ts.
   */
  breakBefore: boolean;
}

/**
 * Look-alikes the runtime's NFKC does not fold (dashes, curly quotes) or that an engine might still
 * emit; folding them here keeps every matcher ASCII-only.
 */
const FOLD: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u00b7': '.',
  '\u3002': '.',
  '\u3001': ',',
  // OCR-A's X (a NIK's placeholder) comes back as a multiplication sign; no card prints one.
  '\u00d7': 'X',
};

/** NFKC per character, so that one input character still maps to the extent the engine gave it. */
function foldChar(c: string): string {
  const n = c.normalize('NFKC');
  return [...n].map((ch) => FOLD[ch] ?? ch).join('');
}

function isSpace(c: string): boolean {
  return /^\s+$/u.test(c);
}

/**
 * The glyphs of one line. When the engine gave no usable per-character extents, spread the
 * characters evenly over the box: worse for spaces, still fine for columns.
 */
export function lineGlyphs(line: OcrLine): Glyph[] {
  const chars = [...line.text];
  const y0 = line.box.y;
  const y1 = line.box.y + line.box.height;
  const extents =
    line.chars.length === chars.length && line.chars.every((c) => Number.isFinite(c.x0) && Number.isFinite(c.x1))
      ? line.chars.map((c) => ({ x0: Math.min(c.x0, c.x1), x1: Math.max(c.x0, c.x1), score: c.score, alternative: c.alternative, ink: c.ink }))
      : chars.map((_, i) => {
          const w = line.box.width / Math.max(1, chars.length);
          return { x0: line.box.x + i * w, x1: line.box.x + (i + 1) * w, score: line.score, alternative: undefined, ink: undefined };
        });

  const out: Glyph[] = [];
  let pendingBreak = true;
  chars.forEach((raw, i) => {
    const folded = foldChar(raw);
    const extent = extents[i]!;
    if (isSpace(folded) || folded === '') {
      pendingBreak = true;
      return;
    }
    const parts = [...folded];
    const w = (extent.x1 - extent.x0) / parts.length;
    parts.forEach((char, k) => {
      if (isSpace(char)) {
        pendingBreak = true;
        return;
      }
      out.push({
        char,
        x0: extent.x0 + k * w,
        x1: extent.x0 + (k + 1) * w,
        y0,
        y1,
        score: Number.isFinite(extent.score) ? extent.score : line.score,
        ...(parts.length === 1 && extent.alternative ? { alternative: { ...extent.alternative, char: foldChar(extent.alternative.char) } } : {}),
        ...(extent.ink !== undefined ? { ink: extent.ink } : {}),
        ...(line.rereads ? { rereads: line.rereads } : {}),
        breakBefore: pendingBreak,
      });
      pendingBreak = false;
    });
  });
  return out;
}

/** The text of a glyph run, with a space at each known word boundary. */
export function glyphText(glyphs: readonly Glyph[]): string {
  return glyphs.map((g, i) => (i > 0 && g.breakBefore ? ' ' : '') + g.char).join('');
}

/** The text with no spaces at all: how matchers that ignore spacing want it. */
export function glyphCompact(glyphs: readonly Glyph[]): string {
  return glyphs.map((g) => g.char).join('');
}

export function meanScore(glyphs: readonly Glyph[]): number {
  if (glyphs.length === 0) return 0;
  return glyphs.reduce((s, g) => s + g.score, 0) / glyphs.length;
}
