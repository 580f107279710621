/**
 * The OCR pipeline in this thread (no pool): what it hands the card reader. One model load and
 * two cards, so a few seconds.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useEngineModels } from './engine-models.ts';
import { readPage } from '../../../src/providers/local/engine/read-page.ts';
import type { OcrLine } from '../../../src/providers/local/ocr-line.ts';
import { decodeImage } from '../../../src/providers/local/pipeline/decode.ts';

const cards = new URL('../../fixtures/cards/', import.meta.url);
const engineModels = useEngineModels();

async function page(path: string) {
  const bytes = new Uint8Array(await readFile(new URL(path, cards)));
  return readPage(engineModels(), await decodeImage(bytes, path.endsWith('.png') ? 'png' : 'jpeg'));
}

/** The gap before each non-space character (in card pixels), keyed by its index in the compact text. */
function gaps(line: OcrLine): number[] {
  const glyphs = line.chars.filter((c) => c.char !== ' ');
  return glyphs.map((c, i) => (i === 0 ? 0 : c.x0 - glyphs[i - 1]!.x1));
}

describe('readPage', () => {
  it('gives every character an extent whose gaps separate the words the recogniser ran together', async () => {
    const truth = JSON.parse(await readFile(new URL('ktp-09010/truth.json', cards), 'utf8')) as { name: string };
    // The first line of the wrapped name: "IR. NUR SRI SETYOWATI INTAN HARAHAP, S.E.,"
    const words = truth.name.split(' ').slice(0, 7);
    const compact = words.join('');
    const { page: ocr } = await page('ktp-09010/clean.png');
    expect([ocr.width, ocr.height]).toEqual([1000, 631]);
    const line = ocr.lines.find((l) => l.text.replace(/\s/g, '').includes(compact));
    expect(line, 'the name line is read').toBeDefined();
    expect(line!.text).toBe(line!.text.normalize('NFKC'));
    expect(line!.chars.map((c) => c.char).join('')).toBe(line!.text);
    const text = line!.chars.filter((c) => c.char !== ' ').map((c) => c.char).join('');
    const start = text.indexOf(compact);
    const lineGaps = gaps(line!).slice(start, start + compact.length);
    const wordStarts = new Set<number>();
    let at = 0;
    for (const word of words.slice(0, -1)) wordStarts.add((at += word.length));
    const between = lineGaps.filter((_, i) => wordStarts.has(i));
    const inside = lineGaps.filter((_, i) => i > 0 && !wordStarts.has(i));
    // Every word gap is wider than every letter gap: a threshold between them restores the spaces.
    expect(Math.min(...between)).toBeGreaterThan(Math.max(...inside));
    for (const c of line!.chars) {
      expect(c.x1).toBeGreaterThanOrEqual(c.x0);
      expect(c.x0).toBeGreaterThanOrEqual(line!.box.x - 1);
      expect(c.x1).toBeLessThanOrEqual(line!.box.x + line!.box.width + 1);
    }
  });

  it('turns an upside-down card the right way up', async () => {
    const truth = JSON.parse(await readFile(new URL('ktp-09071/truth.json', cards), 'utf8')) as { id: string };
    const { page: ocr, steps } = await page('ktp-09071/rot180.jpg');
    expect(steps.upsideDown).toBe(true);
    expect(ocr.lines.some((l) => l.text.replace(/\D/g, '').includes(truth.id))).toBe(true);
    // Upright: the NIK row sits in the top third of the card.
    const nikLine = ocr.lines.find((l) => l.text.replace(/\D/g, '').includes(truth.id))!;
    expect(nikLine.box.y).toBeLessThan(ocr.height / 3);
  });
});
