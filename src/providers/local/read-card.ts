/**
 * The card reader of the offline engine: from the OCR's lines on a normalised card image to the
 * fields as the paid API spells them. Pure and synchronous; the pieces live in ./reading/:
 * rows (geometry) → labels (fuzzy, merged or split) → layout (which row prints what) →
 * fields (vocabularies, region tables, spaces restored from the CTC gaps).
 */
import type { FieldConfidence, RawKtpFields } from '../../ktp/raw-fields.ts';
import type { OcrPage } from './ocr-line.ts';
import { readFields } from './reading/fields.ts';
import { layoutCard } from './reading/layout.ts';

/**
 * A page with a NIK but hardly any of the card's labels is some other document with a 16-digit
 * number on it (a family card, a bank form); a real card shows a dozen even in a poor photo.
 */
const MIN_LABELS = 3;

/** The fields of a KTP, or null when the page is not a KTP or no NIK could be read (the provider answers FAIL). */
export function readCard(page: OcrPage): { fields: RawKtpFields; confidence: FieldConfidence } | null {
  const layout = layoutCard(page);
  if (!layout.nik || layout.labelsFound < MIN_LABELS) return null;
  return readFields(layout);
}
