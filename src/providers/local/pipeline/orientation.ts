/**
 * Decisions about how the card lies, from the detector's boxes alone (pure; the boxes come from
 * engine/detect.ts). Turning by quarters is exact; the small skew is undone by resampling.
 */

/** What orientation needs from a detected text region. */
export interface OrientedBox {
  width: number;
  height: number;
  /** Long-axis direction in degrees, image coordinates (y down), -90..90. */
  angle: number;
  elongation: number;
}

/** Regions at least this stretched are text lines whose direction means something (not a dot or the photo). */
const LINE_ELONGATION = 4;

/**
 * Whether the text runs top-to-bottom: a card photographed turned by 90 or 270 degrees. Every
 * printed line on a KTP is horizontal, so the long axes of the text regions vote, weighted by
 * length; which of 90 and 270 it was is left to the upside-down test after the quarter turn.
 */
export function textRunsVertically(boxes: readonly OrientedBox[]): boolean {
  let vertical = 0;
  let horizontal = 0;
  for (const box of boxes) {
    if (box.elongation < LINE_ELONGATION) continue;
    const length = Math.max(box.width, box.height);
    if (Math.abs(box.angle) > 45) vertical += length;
    else horizontal += length;
  }
  return vertical > horizontal;
}

/**
 * The small rotation of the text lines in degrees (positive: falling to the right), the
 * length-weighted median of the line directions; 0 when fewer than three lines say anything.
 * A median, because the signature and the guilloche produce a few wild directions.
 */
export function estimateSkew(boxes: readonly OrientedBox[]): number {
  const votes: { angle: number; weight: number }[] = [];
  for (const box of boxes) {
    if (box.elongation < LINE_ELONGATION || Math.abs(box.angle) > 20) continue;
    votes.push({ angle: box.angle, weight: box.width });
  }
  if (votes.length < 3) return 0;
  votes.sort((a, b) => a.angle - b.angle);
  const half = votes.reduce((s, v) => s + v.weight, 0) / 2;
  let acc = 0;
  for (const v of votes) {
    acc += v.weight;
    if (acc >= half) return v.angle;
  }
  return 0;
}

/** Below this the detector and recogniser do not care; above it lines start to merge across rows. */
const SKEW_TOLERANCE_DEGREES = 0.6;
/** Beyond this a "skew" is more likely a misreading of the boxes than a tilted card. */
const MAX_SKEW_DEGREES = 15;

export function shouldLevel(skew: number): boolean {
  return Math.abs(skew) >= SKEW_TOLERANCE_DEGREES && Math.abs(skew) <= MAX_SKEW_DEGREES;
}
