/**
 * Edit distance tuned for OCR output, shared by the vocabulary and region matchers.
 *
 * OCR drops spaces and confuses look-alike glyphs, so strings are compared "squashed" (uppercase
 * letters and digits only) and a substitution between look-alikes costs half an edit.
 */

import { FUZZY_GROUPS } from './look-alikes.ts';

/** Pairs of look-alike char codes (below 128), as `a * 128 + b`. */
const lookAlikePairs = new Set<number>();
for (const group of FUZZY_GROUPS) {
  for (const a of group) for (const b of group) if (a !== b) lookAlikePairs.add(a.charCodeAt(0) * 128 + b.charCodeAt(0));
}

function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  return a < 128 && b < 128 && lookAlikePairs.has(a * 128 + b) ? 0.5 : 1;
}

/**
 * Whether two squashed strings differ only in characters a recogniser confuses (`SUKASAR1` and
 * `SUKASARI`): same length, and every differing position a look-alike pair. Equal strings count.
 * This is the most a table may vouch for without a per-character confidence: it never bridges a
 * missing, extra or plainly different letter (`PADANGPANJANG` is not `PARUNGPANJANG`).
 */
export function lookAlikeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && substitutionCost(x, y) !== 0.5) return false;
  }
  return true;
}

/**
 * Uppercase, strip accents and keep letters and digits only: `Laki - laki` → `LAKILAKI`.
 * NFKD also folds full-width and compatibility forms to ASCII.
 */
export function squash(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Trimmed and single-spaced, compatibility forms folded (full-width letters and digits). */
export function tidy(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * Levenshtein distance with half-cost look-alike substitutions. Returns `Infinity` as soon as the
 * distance must exceed `max`, so scanning thousands of region names stays cheap.
 */
let rows = [new Float64Array(64), new Float64Array(64)] as const;

export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  // Scanning thousands of region names calls this in a tight loop: reuse two rows, compare char codes.
  if (rows[0].length <= b.length) rows = [new Float64Array(b.length * 2 + 1), new Float64Array(b.length * 2 + 1)];
  let [previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + substitutionCost(ca, b.charCodeAt(j - 1)),
      );
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return Infinity;
    [previous, current] = [current, previous];
  }
  const distance = previous[b.length]!;
  return distance > max ? Infinity : distance;
}

/**
 * How many edits a candidate of this (squashed) length may absorb and still count as a match.
 * Short words get almost nothing: `KAWIN` must not reach `BELUM KAWIN`, and 3-letter codes
 * (`WNI`/`WNA`) tolerate only one look-alike glyph.
 */
export function allowedEdits(length: number): number {
  if (length <= 3) return 0.5;
  if (length <= 7) return 1;
  return Math.floor(length / 4);
}

/** 1 for identical strings, falling linearly with the distance relative to the longer one. */
export function similarity(distance: number, a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0 || !Number.isFinite(distance)) return 0;
  return Math.max(0, 1 - distance / longest);
}

export interface Candidate<T> {
  /** Squashed key to compare against. */
  key: string;
  /** What the caller gets back; candidates with the same `id` are aliases of one entry. */
  id: string;
  item: T;
}

export interface BestMatch<T> {
  item: T;
  distance: number;
  confidence: number;
}

/**
 * The closest candidate within `allowedEdits` of its key, or null when nothing is close enough or
 * two different entries are equally close (an ambiguous read is not a read).
 */
export function bestMatch<T>(input: string, candidates: Iterable<Candidate<T>>): BestMatch<T> | null {
  let best: { candidate: Candidate<T>; distance: number } | null = null;
  let ambiguous = false;
  for (const candidate of candidates) {
    const limit = allowedEdits(candidate.key.length);
    const distance = editDistance(input, candidate.key, best ? Math.min(limit, best.distance) : limit);
    if (!Number.isFinite(distance)) continue;
    if (!best || distance < best.distance) {
      best = { candidate, distance };
      ambiguous = false;
    } else if (distance === best.distance && candidate.id !== best.candidate.id) {
      ambiguous = true;
    }
  }
  if (!best || ambiguous) return null;
  return {
    item: best.candidate.item,
    distance: best.distance,
    confidence: similarity(best.distance, input, best.candidate.key),
  };
}
