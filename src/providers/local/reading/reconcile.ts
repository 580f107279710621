import { squash } from '../../../ktp/fuzzy.ts';
import type { Glyph } from './glyphs.ts';
import { gapKinds, type GapKind } from './spaces.ts';

/**
 * A glyph read with less confidence than this is one the recogniser was unsure of: a vocabulary
 * or a region table may say what it was. Above it, the glyph is what the card prints.
 */
export const UNSURE_GLYPH = 0.9;

/** Repairs allowed per candidate: a few unsure glyphs, never a rewrite of the word. */
const maxRepairs = (length: number) => Math.max(1, Math.floor(length / 5));

export interface Reconciled {
  /** The candidate, as the card would print it. */
  text: string;
  /** How many unsure glyphs took the candidate's character. */
  repaired: number;
  /** How many unsure gaps went against the geometry's guess. */
  flipped: number;
}

/** Letters and digits only, uppercase, per glyph; punctuation and spaces are compared by position below. */
const same = (a: string, b: string) => a === b || a.toUpperCase() === b.toUpperCase();

/**
 * Whether `candidate` is what these glyphs print, allowing only what the recogniser left open:
 * a glyph it was unsure of (score under UNSURE_GLYPH, or whose runner-up is the candidate's
 * character) may be the candidate's character, and a gap the geometry was unsure of may be a
 * space or not. Nothing is inserted or dropped, and a sure glyph or a sure gap is never changed:
 * `PEGAWAI SWASTA` never becomes `KARYAWAN SWASTA`, `NUSAJAYA` never `NUSA JAYA`.
 */
export function reconcileOne(glyphs: readonly Glyph[], kinds: readonly GapKind[], candidate: string): Reconciled | null {
  const chars = [...candidate];
  let k = 0;
  let repaired = 0;
  let flipped = 0;
  for (let i = 0; i < glyphs.length; i++) {
    const g = glyphs[i]!;
    const kind = kinds[i]!;
    if (i > 0) {
      const spaced = chars[k] === ' ';
      if (spaced) k++;
      if ((kind === 'space' && !spaced) || (kind === 'none' && spaced)) return null;
      if ((kind === 'unsure-space' && !spaced) || (kind === 'unsure-none' && spaced)) flipped++;
    }
    const want = chars[k];
    if (want === undefined || want === ' ') return null;
    if (!same(g.char, want)) {
      const unsure = g.score < UNSURE_GLYPH || (g.alternative !== undefined && same(g.alternative.char, want));
      if (!unsure) return null;
      repaired++;
    }
    k++;
  }
  if (k !== chars.length || repaired > maxRepairs(glyphs.length)) return null;
  return { text: candidate, repaired, flipped };
}

/** Candidates indexed by their squashed length, so that a reading is only compared with names it could be. */
export interface CandidateIndex {
  byLength: Map<number, string[]>;
}

export function indexCandidates(candidates: Iterable<string>): CandidateIndex {
  const byLength = new Map<number, string[]>();
  for (const c of new Set(candidates)) {
    const n = [...c.replace(/ /g, '')].length;
    const list = byLength.get(n) ?? [];
    list.push(c);
    byLength.set(n, list);
  }
  return { byLength };
}

/**
 * The one candidate these glyphs print, repaired only where the recogniser was unsure (see
 * reconcileOne): the candidate needing the fewest repairs; null when none fits or two fit equally
 * (an ambiguous read is left as read).
 */
export function reconcile(glyphs: readonly Glyph[], candidates: CandidateIndex | readonly string[]): Reconciled | null {
  if (glyphs.length === 0) return null;
  const kinds = gapKinds(glyphs);
  const pool = Array.isArray(candidates)
    ? (candidates as readonly string[]).filter((c) => [...c.replace(/ /g, '')].length === glyphs.length)
    : (candidates as CandidateIndex).byLength.get(glyphs.length) ?? [];
  const found: Reconciled[] = [];
  for (const candidate of pool) {
    const r = reconcileOne(glyphs, kinds, candidate);
    if (r) found.push(r);
  }
  if (found.length === 0) return null;
  found.sort((x, y) => x.repaired - y.repaired || x.flipped - y.flipped);
  const best = found[0]!;
  // Two different words that fit equally: ambiguous. The same letters spaced otherwise is no rival.
  const tie = found.some((r) => r.repaired === best.repaired && squash(r.text) !== squash(best.text));
  return tie ? null : best;
}
