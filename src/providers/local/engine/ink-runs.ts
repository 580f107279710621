/** A stretch of columns of a line crop with ink in them, between blank columns. */
export interface InkRun {
  x0: number;
  /** Exclusive. */
  x1: number;
}

/** A run narrower than this share of the crop's height is a speck of noise, not a glyph. */
const MIN_RUN = 0.08;

/**
 * The separate pieces of ink along a line (see inkColumns): in a monospaced NIK or date, one per
 * character; in proportional print, one per character or per few touching ones.
 */
export function inkRuns(ink: Uint16Array, height: number): InkRun[] {
  const runs: InkRun[] = [];
  const min = Math.max(1, MIN_RUN * height);
  let start = -1;
  for (let x = 0; x <= ink.length; x++) {
    const inked = x < ink.length && ink[x]! > 0;
    if (inked && start < 0) start = x;
    if (!inked && start >= 0) {
      if (x - start >= min) runs.push({ x0: start, x1: x });
      start = -1;
    }
  }
  return runs;
}

/**
 * The pieces of ink of one character of the reading, when it holds two or more: the sign of a glyph the
 * recogniser merged into its neighbour. OCR-A prints an 8 as a narrow-waisted box that the
 * recogniser, trained on everyday print, reads as nothing between a 6 and a 0: `1868` came back
 * `16`, and the 6's extent then held the 8's ink too. `chars` and `runs` in the same pixels.
 */
export function swallowedRuns(char: { char: string; x0: number; x1: number }, runs: readonly InkRun[]): InkRun[] {
  if (char.char.trim() === '') return [];
  const inside = runs.filter((r) => r.x0 >= char.x0 - 1 && r.x1 <= char.x1 + 1);
  return inside.length >= 2 ? inside : [];
}
