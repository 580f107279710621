import type { Glyph } from './glyphs.ts';
import { allowedEdits, editDistance } from '../../../ktp/fuzzy.ts';
import { labelKeyChar } from '../../../ktp/look-alikes.ts';

/** The printed labels of the card body, in the order they appear top to bottom. */
export const FIELD_LABELS = [
  { key: 'nik', forms: ['NIK'] },
  { key: 'name', forms: ['Nama'] },
  { key: 'birth', forms: ['Tempat/Tgl Lahir', 'Tempat/Tanggal Lahir'] },
  { key: 'gender', forms: ['Jenis Kelamin'] },
  { key: 'address', forms: ['Alamat'] },
  { key: 'rtrw', forms: ['RT/RW'] },
  { key: 'village', forms: ['Kel/Desa'] },
  { key: 'district', forms: ['Kecamatan'] },
  { key: 'religion', forms: ['Agama', 'Kepercayaan'] },
  { key: 'marital', forms: ['Status Perkawinan'] },
  { key: 'work', forms: ['Pekerjaan'] },
  { key: 'nationality', forms: ['Kewarganegaraan'] },
  { key: 'validUntil', forms: ['Berlaku Hingga'] },
] as const;

export type LabelKey = (typeof FIELD_LABELS)[number]['key'];

/** `Gol. Darah` shares the gender row, to the right of the gender value. */
const BLOOD_LABEL_FORMS = ['Gol. Darah', 'Gol Darah'] as const;

/**
 * Label comparison key of one character: lowercase letters only, with the look-alikes the
 * recogniser swaps inside labels folded together (src/ktp/look-alikes.ts). Punctuation and spaces
 * drop out, so `Tempat/Tgl Lahir`, `TempatTglLahir` and `Tempat/TgI Lahir` all compare equal.
 */
const keyChar = labelKeyChar;

export function labelKey(text: string): string {
  return [...text].map(keyChar).join('');
}

/** The label key of a glyph run, and for each key character the glyph it came from. */
function keyed(glyphs: readonly Glyph[], from = 0): { key: string; at: number[] } {
  let key = '';
  const at: number[] = [];
  for (let i = from; i < glyphs.length; i++) {
    const k = keyChar(glyphs[i]!.char);
    for (const ch of k) {
      key += ch;
      at.push(i);
    }
  }
  return { key, at };
}

export interface LabelHit {
  key: LabelKey;
  /** Glyph index of the label's first character. */
  start: number;
  /** Glyph index where the value begins (after the colon, if one was read). */
  valueStart: number;
  /** 1 for an exact read of the label, lower with each edit. */
  quality: number;
}

/**
 * Whole edits we forgive in a label of n letters: the shared vocabulary allowance, none for the
 * three-letter NIK (label keys are lowercase, so no look-alike half edits apply).
 */
function tolerance(n: number): number {
  return Math.floor(allowedEdits(n));
}

const COLON_LIKE = new Set([':', ';', '.', ',', '=', '|', '!']);

/**
 * Where the value starts after a label ending at glyph `end` (exclusive): skip a colon, or what
 * the recogniser made of one. The label/value boundary is also where mixed case turns to the
 * uppercase of the values, which tells us where a merged `NamaMARIA` splits.
 */
export function skipColon(glyphs: readonly Glyph[], end: number): number {
  let i = end;
  while (i < glyphs.length && COLON_LIKE.has(glyphs[i]!.char)) i++;
  return i;
}

function boundaryBonus(glyphs: readonly Glyph[], end: number): number {
  const prev = glyphs[end - 1]?.char ?? '';
  const next = glyphs[end]?.char ?? '';
  if (next === '' || COLON_LIKE.has(next) || glyphs[end]!.breakBefore) return 1;
  if (/[a-z]/.test(prev) && /[A-Z0-9]/.test(next)) return 1;
  return 0;
}

/**
 * A label is printed as one run of text; a gap wider than a line height is the jump from the label
 * column to the value column. Without this, a truncated `Kewarganegat` would swallow `WN` of `WNI`.
 */
function crossesColumnGap(glyphs: readonly Glyph[], first: number, last: number): boolean {
  for (let i = first + 1; i <= last; i++) {
    const g = glyphs[i]!;
    if (g.x0 - glyphs[i - 1]!.x1 > g.y1 - g.y0) return true;
  }
  return false;
}

/**
 * Best fuzzy occurrence of one label form in the key, starting exactly at key index `from`.
 * Tries label lengths around the form's own, since the recogniser may drop or add letters.
 */
function matchForm(
  glyphs: readonly Glyph[],
  k: { key: string; at: number[] },
  from: number,
  form: string,
): { end: number; distance: number; bonus: number } | null {
  const target = labelKey(form);
  const tol = tolerance(target.length);
  let best: { end: number; distance: number; bonus: number } | null = null;
  const startGlyph = k.at[from];
  for (let len = target.length - tol; len <= target.length + tol; len++) {
    if (len <= 0 || from + len > k.key.length) continue;
    if (startGlyph !== undefined && crossesColumnGap(glyphs, startGlyph, k.at[from + len - 1]!)) break;
    const distance = editDistance(target, k.key.slice(from, from + len));
    if (distance > tol) continue;
    const end = k.at[from + len - 1]! + 1;
    const bonus = boundaryBonus(glyphs, end);
    if (!best || distance < best.distance || (distance === best.distance && bonus > best.bonus)) {
      best = { end, distance, bonus };
    }
  }
  return best;
}

/**
 * The label a row starts with, if any. Rows are read left to right, so a label is only looked for
 * at the first letters: a value that happens to contain `NAMA` or `AGAMA` is never a label.
 */
export function labelAtStart(glyphs: readonly Glyph[], allowed?: readonly LabelKey[]): LabelHit | null {
  const k = keyed(glyphs);
  let best: (LabelHit & { score: number }) | null = null;
  for (const label of FIELD_LABELS) {
    if (allowed && !allowed.includes(label.key)) continue;
    for (const form of label.forms) {
      const m = matchForm(glyphs, k, 0, form);
      if (!m) continue;
      const n = labelKey(form).length;
      const quality = 1 - m.distance / n;
      // Longer labels matched with the same quality are more telling (Kecamatan vs Kel/Desa).
      const score = quality + n / 1000 + m.bonus / 100;
      if (!best || score > best.score) {
        best = { key: label.key, start: k.at[0] ?? 0, valueStart: skipColon(glyphs, m.end), quality, score };
      }
    }
  }
  if (!best) return null;
  const { score: _score, ...hit } = best;
  return hit;
}

/** Where a label was found, for labels that are not at the start of a row. */
export type InlineLabelHit = Omit<LabelHit, 'key'>;

/** The `Gol. Darah` label anywhere from glyph `from` on. */
export function findBloodLabel(glyphs: readonly Glyph[], from: number): InlineLabelHit | null {
  const k = keyed(glyphs, from);
  let best: InlineLabelHit | null = null;
  for (let i = 0; i < k.key.length; i++) {
    for (const form of BLOOD_LABEL_FORMS) {
      const m = matchForm(glyphs, k, i, form);
      if (!m) continue;
      const quality = 1 - m.distance / labelKey(form).length;
      if (!best || quality > best.quality) {
        best = { start: k.at[i]!, valueStart: skipColon(glyphs, m.end), quality };
      }
    }
    if (best?.quality === 1) break;
  }
  return best;
}

/**
 * The glyphs after a printed prefix word (`PROVINSI JAWA BARAT` → `JAWA BARAT`), found fuzzily;
 * all of them when the word is not there.
 */
export function stripPrefix(glyphs: readonly Glyph[], word: string): Glyph[] {
  const m = matchForm(glyphs, keyed(glyphs), 0, word);
  return m ? glyphs.slice(m.end) : [...glyphs];
}
