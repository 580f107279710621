/**
 * Re-records test/fixtures/ocr-pages: the OcrPage that the local engine's readPage (card finding,
 * orientation, PP-OCRv4 detection and recognition, character extents and ink, the photo block)
 * returns for each fixture card image, so that the reader's tests run on what the engine really
 * returns without running it. Run after any change to what the engine returns:
 *
 *   npm run record:pages
 *
 * Synthetic cards only (test/fixtures/cards); the pages hold their made-up text.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadModels, releaseModels } from '../src/providers/local/engine/models.ts';
import { readPage } from '../src/providers/local/engine/read-page.ts';
import { decodeImage } from '../src/providers/local/pipeline/decode.ts';
import { answerHelp } from './usage.ts';

answerHelp(`Usage: npm run record:pages

Re-records test/fixtures/ocr-pages (tracked files): the OcrPage the local engine returns for each
fixture card image, so that the reader's tests run on what the engine really returns. Run after
any change to what the engine returns. No options.`);

const CARDS = new URL('../test/fixtures/cards/', import.meta.url);
const PAGES = new URL('../test/fixtures/ocr-pages/', import.meta.url);
/** The recorded images: every fixture card in these four variants. */
export const RECORDED = {
  cards: ['ktp-09001', 'ktp-09010', 'ktp-09071', 'ktp-09185'],
  variants: [['clean', 'png'], ['photo', 'jpg'], ['rotated', 'jpg'], ['w640', 'jpg']],
} as const;

/** Rounded to 0.1 px and 0.001 of a score: the pages stay readable in a diff, the reader cannot tell. */
const round = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);

const models = await loadModels({ threads: 1 });
try {
  for (const id of RECORDED.cards) {
    for (const [variant, ext] of RECORDED.variants) {
      const bytes = new Uint8Array(await readFile(new URL(`${id}/${variant}.${ext}`, CARDS)));
      const { page } = await readPage(models, await decodeImage(bytes, ext === 'png' ? 'png' : 'jpeg'));
      await writeFile(new URL(`${id}-${variant}.json`, PAGES), `${JSON.stringify(page, round)}\n`);
      process.stdout.write(`recorded ${id}-${variant}.json (${page.lines.length} lines${page.photo ? ', photo found' : ''})\n`);
    }
  }
} finally {
  await releaseModels(models);
}
process.stdout.write(`wrote ${fileURLToPath(PAGES)}\n`);
