/**
 * The card reader of the offline engine: from the OCR's lines on a normalised card image to the
 * fields as printed, in the paid API's keys. Pure and synchronous; the pieces live in ./reading/:
 * rows (geometry) → labels (fuzzy, merged or split) → layout (which row prints what, bounded by
 * the photo column) → fields (as printed; vocabularies and region tables settle only what the
 * recogniser was unsure of).
 */
import { squash } from '../../ktp/fuzzy.ts';
import type { OcrPage } from './ocr-line.ts';
import { readFields, type CardReading } from './reading/fields.ts';
import { layoutCard, type CardLayout } from './reading/layout.ts';

/**
 * A page with hardly any of the card's labels is some other document (a family card, a bank
 * form, the card's back); a KTP's front shows a dozen even in a poor photo.
 */
const MIN_LABELS = 3;

/** What a page that is not a readable KTP front looks like, when the reader can tell. */
export type LooksLike = 'ktp-back' | 'family-card' | 'driving-licence' | 'passport' | 'empty-template' | 'no-nik' | 'unknown';

export type CardResult =
  | ({ kind: 'identity' } & CardReading)
  | { kind: 'not-a-ktp'; looksLike: LooksLike };

/** Words printed on other documents people send instead of a KTP's front, squashed, checked in this order. */
const OTHER_DOCUMENTS: readonly [LooksLike, readonly string[]][] = [
  ['family-card', ['KARTUKELUARGA', 'KEPALAKELUARGA', 'NOKK']],
  ['driving-licence', ['SURATIZINMENGEMUDI', 'DRIVINGLICENSE', 'DRIVINGLICENCE']],
  ['passport', ['PASPOR', 'PASSPORT', 'P<IDN']],
  ['ktp-back', ['KARTUTANDAPENDUDUK', 'REPUBLIKINDONESIA']],
];

function classify(page: OcrPage): LooksLike {
  const text = page.lines.map((l) => l.text.toUpperCase()).join(' ');
  const squashed = squash(text);
  for (const [kind, words] of OTHER_DOCUMENTS) {
    if (words.some((w) => (w.includes('<') ? text.replace(/\s/g, '').includes(w) : squashed.includes(w)))) return kind;
  }
  return 'unknown';
}

/** Values a card with its labels printed must carry for it to be a filled-in card, not a template. */
const MIN_VALUES = 3;

function valuesFound(layout: CardLayout): number {
  return Object.entries(layout.fields).filter(([key, span]) => key !== 'blood' && span.lines.flat().length > 0).length;
}

/**
 * The fields of a KTP as printed, or why the page is not one. `not-a-ktp` only when it is not a
 * KTP's front (too few of the card's labels), when the card has no NIK row at all, or when it is
 * an empty template; a KTP with a malformed or inconsistent NIK is an identity, its NIK as printed.
 */
export function readCard(page: OcrPage): CardResult {
  const layout = layoutCard(page);
  if (layout.labelsFound < MIN_LABELS) return { kind: 'not-a-ktp', looksLike: classify(page) };
  const nikGlyphs = layout.nik?.lines.flat() ?? [];
  if (valuesFound(layout) < MIN_VALUES && nikGlyphs.length === 0) return { kind: 'not-a-ktp', looksLike: 'empty-template' };
  if (!layout.nik) return { kind: 'not-a-ktp', looksLike: 'no-nik' };
  const reading = readFields(layout);
  if (!reading.fields.id && valuesFound(layout) < MIN_VALUES) return { kind: 'not-a-ktp', looksLike: 'empty-template' };
  return { kind: 'identity', ...reading };
}
