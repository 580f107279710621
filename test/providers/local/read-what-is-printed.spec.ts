/**
 * The real engine, in this thread, on fixture images and on a smoke subset of every renderer
 * family: every field compared exactly with what the card prints, the box of the NIK found on the
 * source image, other documents refused with what they look like. One model load; a few cards.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useEngineModels } from './engine-models.ts';
import { recogniseBox } from '../../../src/providers/local/engine/recognize.ts';
import { recogniseImage } from '../../../src/providers/local/recognise-image.ts';
import { inspectImage } from '../../../src/recognition/inspect-image.ts';
import type { ImageInfo } from '../../../src/providers/provider.ts';
import { DOCUMENTS, FAMILIES, generateFamilyCard, HELD_OUT_FAMILY, renderDocument } from '../../../tools/synthetic-ktp/index.ts';

const cards = new URL('../../fixtures/cards/', import.meta.url);
const engineModels = useEngineModels();

async function recognise(bytes: Uint8Array) {
  const info = inspectImage(bytes) as ImageInfo;
  return (await recogniseImage(engineModels(), bytes, info.format)).result;
}
const fixture = async (path: string) => new Uint8Array(await readFile(new URL(path, cards)));
const truthOf = async (id: string) => JSON.parse(await readFile(new URL(`${id}/truth.json`, cards), 'utf8')) as Record<string, string>;

describe('the engine reads every field exactly as printed', () => {
  it.each(['ktp-09001/photo.jpg', 'ktp-09185/rotated.jpg'])('%s: every field of truth.json', async (path) => {
    const result = await recognise(await fixture(path));
    expect(result.kind).toBe('identity');
    expect(result.kind === 'identity' && result.fields).toEqual(await truthOf(path.split('/')[0]!));
  });
});

describe('boxes: where each field was read, on the image the client sent', () => {
  // The turn that makes the cut-out upright: the rot90 and rot180 images lie turned on the source.
  it.each([
    ['ktp-09001/exif-rotated.jpg', 0],
    ['ktp-09010/photo.jpg', 0],
    ['ktp-09010/rot90.jpg', 270],
  ] as const)('%s: the NIK box holds the NIK', async (path, turn) => {
    const bytes = await fixture(path);
    const result = await recognise(bytes);
    if (result.kind !== 'identity') throw new Error(`expected an identity, got ${result.kind}`);
    const box = result.boxes.id!;
    const upright = await sharp(bytes).rotate().toBuffer({ resolveWithObject: true });
    for (const v of [box.x, box.y, box.width, box.height]) expect(Number.isInteger(v)).toBe(true);
    expect(box.x + box.width).toBeLessThanOrEqual(upright.info.width);
    expect(box.y + box.height).toBeLessThanOrEqual(upright.info.height);
    // Cut the box out of the upright source and read it alone: it is the NIK.
    const cut = await sharp(upright.data).extract({ left: box.x, top: box.y, width: box.width, height: box.height }).png().toBuffer();
    const { data, info } = await sharp(cut).rotate(turn).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const raster = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    const line = await recogniseBox(engineModels().rec, engineModels().dictionary, raster, { x: 0, y: 0, width: info.width, height: info.height });
    const digits = line.chars.map((c) => c.char).join('').replace(/\D/g, '');
    expect(digits).toContain((await truthOf(path.split('/')[0]!)).id);
    // The photo block is there too, apart from the NIK.
    const portrait = result.boxes.portrait!;
    const overlap = Math.max(0, Math.min(box.x + box.width, portrait.x + portrait.width) - Math.max(box.x, portrait.x)) *
      Math.max(0, Math.min(box.y + box.height, portrait.y + portrait.height) - Math.max(box.y, portrait.y));
    expect(portrait.width * portrait.height).toBeGreaterThan(box.width * box.height);
    expect(overlap).toBe(0);
  });
});

// `hardphoto` is not here: the engine does not read hard phone photos yet (57.5 % of fields on its
// tuning range, docs/accuracy.md; seed 900 is answered FAIL), so a bar for it comes with the engine
// work of issue 18. Its generator is tested in test/synthetic.
const READ_FAMILIES = FAMILIES.filter((family) => family !== 'hardphoto');

describe('a smoke subset of every renderer family (seed 900, outside every benchmark range)', () => {
  for (const family of READ_FAMILIES) {
    it(`${family}: a KtpIdentity, its NIK as printed`, async () => {
      for (const seed of [900]) {
        const card = generateFamilyCard(seed, family);
        const result = await recognise(new Uint8Array((await card.render()).bytes));
        expect(result.kind, `${family} ${seed}`).toBe('identity');
        if (result.kind !== 'identity') continue;
        const heldOut = family === HELD_OUT_FAMILY;
        if (!heldOut) expect(result.fields.id, `${family} ${seed}`).toBe(card.truth.id);
        const right = Object.entries(card.truth).filter(([k, v]) => result.fields[k as keyof typeof result.fields] === v).length;
        // The held-out family is only required to be read as a card; the others, nearly every field.
        expect(right, `${family} ${seed}`).toBeGreaterThanOrEqual(heldOut ? 10 : 17);
      }
    });
  }
});

describe('other documents answer FAIL and say what they look like', () => {
  it.each(DOCUMENTS)('%s', async (kind) => {
    const { bytes } = await renderDocument(kind, 7);
    expect(await recognise(new Uint8Array(bytes))).toEqual({ kind: 'not-a-ktp', looksLike: kind });
  });
});
