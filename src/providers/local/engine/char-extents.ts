import type { Raster } from '../pipeline/raster.ts';

/**
 * Ink per column of a line crop: how many pixels in the central band of rows are clearly darker
 * than the paper. The band skips the top and bottom of the box, where the detector's padding can
 * catch the descenders and accents of the neighbouring rows.
 */
export function inkColumns(piece: Raster): Uint16Array {
  const { width, height, data } = piece;
  const grey = new Uint8Array(width * height);
  const histogram = new Uint32Array(256);
  for (let i = 0; i < width * height; i++) {
    const v = (data[i * 3]! * 299 + data[i * 3 + 1]! * 587 + data[i * 3 + 2]! * 114) / 1000;
    grey[i] = v;
    histogram[grey[i]!]!++;
  }
  const dark = percentile(histogram, width * height, 0.05);
  const paper = percentile(histogram, width * height, 0.9);
  const columns = new Uint16Array(width);
  // Too little contrast: no ink to measure; every column counts as ink so no gap is invented.
  if (paper - dark < 40) return columns.fill(height);
  const threshold = (dark + paper) / 2;
  const y0 = Math.floor(height * 0.15);
  const y1 = Math.ceil(height * 0.85);
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < width; x++) if (grey[y * width + x]! < threshold) columns[x]!++;
  }
  return columns;
}

function percentile(histogram: Uint32Array, total: number, q: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += histogram[v]!;
    if (acc >= total * q) return v;
  }
  return 255;
}

/**
 * Each character's ink extent, from the CTC centres (where the recogniser emitted it) and the
 * ink profile. Between two neighbouring centres the widest run of blank columns is the gap
 * between the two glyphs: a space the recogniser dropped shows up as a run several times wider
 * than the gap inside a word. Touching glyphs share the faintest column and get a zero gap.
 * The CTC step alone is 8 px of the 48-px-high input (a third of a letter): too coarse to
 * tell a word gap from a wide letter, which is why the ink decides.
 */
export function charExtents(ink: Uint16Array, centres: readonly number[]): { x0: number; x1: number }[] {
  const n = centres.length;
  const width = ink.length;
  const clampX = (x: number) => Math.max(0, Math.min(width, Math.round(x)));
  const boundaries: { end: number; start: number }[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const a = clampX(centres[i]!);
    const b = clampX(centres[i + 1]!);
    let bestStart = -1;
    let bestLength = 0;
    let runStart = -1;
    for (let x = a; x <= b; x++) {
      const blank = x < b && ink[x] === 0;
      if (blank && runStart < 0) runStart = x;
      if (!blank && runStart >= 0) {
        if (x - runStart > bestLength) {
          bestLength = x - runStart;
          bestStart = runStart;
        }
        runStart = -1;
      }
    }
    if (bestStart >= 0) {
      boundaries.push({ end: bestStart, start: bestStart + bestLength });
    } else {
      let faintest = a;
      for (let x = a; x < b; x++) if (ink[x]! < ink[faintest]!) faintest = x;
      boundaries.push({ end: faintest, start: faintest });
    }
  }
  const extents: { x0: number; x1: number }[] = [];
  for (let i = 0; i < n; i++) {
    const centre = clampX(centres[i]!);
    let x0 = i > 0 ? boundaries[i - 1]!.start : centre;
    let x1 = i + 1 < n ? boundaries[i]!.end : centre;
    // The outer edges of the first and last glyph: walk out from the centre to the first blank column.
    if (i === 0) while (x0 > 0 && ink[x0 - 1]! > 0) x0--;
    if (i === n - 1) while (x1 < width && ink[x1]! > 0) x1++;
    if (x1 < x0) x1 = x0;
    extents.push({ x0, x1 });
  }
  return extents;
}
