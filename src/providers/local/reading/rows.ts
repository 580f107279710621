import type { OcrLine, OcrPage } from '../ocr-line.ts';
import { lineGlyphs } from './glyphs.ts';
import type { Glyph } from './glyphs.ts';

/** The printed lines of the card that sit on one baseline, left to right, whatever the detector split. */
export interface Row {
  glyphs: Glyph[];
  y0: number;
  y1: number;
  /** Vertical centre; rows are returned top to bottom by it. */
  cy: number;
  /** Median height of the lines in the row: the scale for gaps and tolerances. */
  height: number;
}

interface Pending {
  lines: OcrLine[];
  cy: number;
  height: number;
}

const centre = (l: OcrLine) => l.box.y + l.box.height / 2;

/**
 * Group lines into rows. The detector may cut a row into label, colon and value boxes or merge it
 * into one; either way the pieces share a centre line. Two boxes belong together when their
 * centres are closer than half the smaller height: card rows are about 1.3 line heights apart, so
 * this neither chains neighbouring rows nor splits a row whose boxes differ a little in height.
 */
export function groupRows(page: OcrPage): Row[] {
  const lines = page.lines
    .filter((l) => l.text.trim() !== '' && l.box.height > 0)
    .sort((a, b) => centre(a) - centre(b));
  const pending: Pending[] = [];
  for (const line of lines) {
    const cy = centre(line);
    let best: Pending | undefined;
    let bestDistance = Infinity;
    for (const row of pending) {
      const d = Math.abs(row.cy - cy);
      if (d < 0.5 * Math.min(row.height, line.box.height) && d < bestDistance) {
        best = row;
        bestDistance = d;
      }
    }
    if (best) {
      best.lines.push(line);
      best.cy = best.lines.reduce((s, l) => s + centre(l), 0) / best.lines.length;
      best.height = median(best.lines.map((l) => l.box.height));
    } else {
      pending.push({ lines: [line], cy, height: line.box.height });
    }
  }
  return pending
    .map((p) => {
      const ordered = [...p.lines].sort((a, b) => a.box.x - b.box.x);
      return {
        glyphs: rowGlyphs(ordered),
        y0: Math.min(...ordered.map((l) => l.box.y)),
        y1: Math.max(...ordered.map((l) => l.box.y + l.box.height)),
        cy: p.cy,
        height: p.height,
      };
    })
    .filter((r) => r.glyphs.length > 0)
    .sort((a, b) => a.cy - b.cy);
}

/**
 * The glyphs of a row's lines, left to right, each piece of ink once. Two detected boxes can
 * overlap and both read the same ink: on a phone photo, the label box `StatusPerkawinan` and the
 * value box `n:KAWIN` shared the label's last n, and the value came back `n: KAWIN`. The leading
 * glyphs of a box whose centres lie within ink an earlier box already read are that ink again.
 */
function rowGlyphs(ordered: readonly OcrLine[]): Glyph[] {
  const glyphs: Glyph[] = [];
  for (const line of ordered) {
    const own = lineGlyphs(line);
    const readUpTo = glyphs.length > 0 ? glyphs[glyphs.length - 1]!.x1 : -Infinity;
    let skip = 0;
    while (skip < own.length && (own[skip]!.x0 + own[skip]!.x1) / 2 < readUpTo) skip++;
    const fresh = own.slice(skip);
    // What is left still opens a box of its own.
    if (skip > 0 && fresh.length > 0) fresh[0] = { ...fresh[0]!, breakBefore: true };
    glyphs.push(...fresh);
  }
  return glyphs;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
