/**
 * The reader on OCR pages recorded from the fixture cards (test/fixtures/ocr-pages/README.md),
 * compared with the cards' truth.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OcrPage } from '../../../../src/providers/local/ocr-line.ts';
import { readCard } from '../../../../src/providers/local/read-card.ts';
import type { OcrPage as ReadablePage } from '../../../../src/providers/local/ocr-line.ts';

/** The identity read from a page, or null when the reader answered not-a-KTP. */
function read(page: ReadablePage) {
  const result = readCard(page);
  return result.kind === 'identity' ? result : null;
}
import type { RawKtpFields } from '../../../../src/ktp/raw-fields.ts';

const PAGES = new URL('../../../fixtures/ocr-pages/', import.meta.url);
const CARDS = new URL('../../../fixtures/cards/', import.meta.url);

const recorded = readdirSync(PAGES)
  .filter((f) => f.endsWith('.json'))
  .map((file) => {
    const [, id, variant] = /^(ktp-\d+)-(.+)\.json$/.exec(file)!;
    return {
      name: `${id} ${variant}`,
      page: JSON.parse(readFileSync(new URL(file, PAGES), 'utf8')) as OcrPage,
      truth: JSON.parse(readFileSync(new URL(`${id}/truth.json`, CARDS), 'utf8')) as RawKtpFields,
    };
  });

/** Free text whose spaces can only come from the CTC geometry, which is not always decisive. */
const SPACED_BY_GEOMETRY = new Set<keyof RawKtpFields>(['name', 'address']);
const letters = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');

describe('readCard on recorded engine pages', () => {
  it('has pages to read', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(recorded)('$name', ({ page, truth }) => {
    const result = read(page);

    it('reads the NIK and every vocabulary, region and date field exactly', () => {
      expect(result).not.toBeNull();
      const exact = Object.fromEntries(Object.keys(truth).filter((k) => !SPACED_BY_GEOMETRY.has(k as keyof RawKtpFields)).map((k) => [k, result!.fields[k as keyof RawKtpFields]]));
      const expected = Object.fromEntries(Object.entries(truth).filter(([k]) => !SPACED_BY_GEOMETRY.has(k as keyof RawKtpFields)));
      expect(exact).toEqual(expected);
    });

    it('reads the letters of the name and the street', () => {
      expect(letters(result?.fields.name)).toBe(letters(truth.name));
      expect(letters(result?.fields.address)).toBe(letters(truth.address));
    });
  });

  it('gets at least 95% of all fields exactly right, spaces included', () => {
    let right = 0;
    let total = 0;
    for (const { page, truth } of recorded) {
      const fields = read(page)!.fields;
      for (const key of Object.keys(truth) as (keyof RawKtpFields)[]) {
        total++;
        if (fields[key] === truth[key]) right++;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.95);
  });
});
