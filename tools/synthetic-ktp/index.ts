/**
 * Synthetic e-KTP cards: deterministic, seeded, with ground truth in the RawKtpFields format.
 * Every identity is made up (names from embedded lists, real region codes); no real person's data.
 *
 *   const card = generateCard(42);
 *   card.truth            // RawKtpFields, exactly what the card prints
 *   await card.render('photo')  // { bytes, ext: 'jpg' }
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawKtpFields } from '../../src/ktp/raw-fields.ts';
import { renderCardCanvas } from './render.ts';
import { createRng } from './rng.ts';
import { generateCardData } from './truth.ts';
import type { CardData } from './truth.ts';
import { BENCH_VARIANTS, VARIANTS, isVariant, renderVariant } from './variants.ts';
import { degradeFamilyCard, familyRng, familyTruth, renderFamilyCard, type Family, type FamilyCard } from './families.ts';
import { HARD_PHOTO_SOURCES, hardPhoto } from './hard-photo.ts';
import type { ImageExt, Raw, RenderedImage, Variant } from './variants.ts';

export { BENCH_VARIANTS, VARIANTS, isVariant };
export type { ImageExt, RenderedImage, Variant };
export { CARD_HEIGHT, CARD_WIDTH } from './render.ts';
export { encodeBmp } from './variants.ts';
export { loadRegions } from './regions.ts';

export interface SyntheticCard {
  /** Directory-safe id, derived from the seed: `ktp-09001`. */
  id: string;
  seed: number;
  truth: RawKtpFields;
  render(variant: Variant): Promise<RenderedImage>;
}

/** Card id for a seed. */
export function cardId(seed: number): string {
  return `ktp-${String(seed).padStart(5, '0')}`;
}

/** Key order of truth.json (the RawKtpFields declaration order). */
const TRUTH_KEYS = [
  'id', 'name', 'pob', 'dob', 'gender', 'address', 'rt', 'rw', 'village', 'district', 'city', 'province',
  'religion', 'marital_status', 'work', 'nationnality', 'blood_type', 'valid_until', 'issue_city', 'issue_date',
] as const satisfies readonly (keyof RawKtpFields)[];

/** A drawn canvas's pixels as raw RGBA. */
function canvasToRaw(canvas: ReturnType<typeof renderCardCanvas>): Raw {
  const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  return { data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: canvas.width, height: canvas.height, channels: 4 };
}

export function generateCard(seed: number): SyntheticCard {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const data: CardData = generateCardData(createRng(seed, 'truth'));
  let clean: Raw | undefined;
  const cleanRaw = (): Raw => {
    clean ??= canvasToRaw(renderCardCanvas(data, createRng(seed, 'layout')));
    return clean;
  };
  const truth = Object.fromEntries(TRUTH_KEYS.map((k) => [k, data.truth[k]])) as unknown as RawKtpFields;
  return {
    id: cardId(seed),
    seed,
    truth,
    render: (variant) => {
      if (!isVariant(variant)) return Promise.reject(new Error(`unknown variant ${String(variant)}`));
      return renderVariant(cleanRaw(), variant, createRng(seed, `variant:${variant}`));
    },
  };
}

export interface GenerateSetOptions {
  /** First seed; card i uses seed + i. */
  seed: number;
  count: number;
  variants?: readonly Variant[];
  outDir: string;
  /** Called after each card is written. */
  onCard?: (card: SyntheticCard, files: string[]) => void;
}

export interface GeneratedCardEntry {
  id: string;
  seed: number;
  dir: string;
  files: Partial<Record<Variant, string>>;
}

/** Writes `<outDir>/<id>/<variant>.<ext>` and `<outDir>/<id>/truth.json` for each card. */
export async function generateSet(opts: GenerateSetOptions): Promise<GeneratedCardEntry[]> {
  const variants = opts.variants ?? BENCH_VARIANTS;
  const entries: GeneratedCardEntry[] = [];
  for (let i = 0; i < opts.count; i++) {
    const card = generateCard(opts.seed + i);
    const dir = join(opts.outDir, card.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'truth.json'), `${JSON.stringify(card.truth, null, 2)}\n`);
    const files: Partial<Record<Variant, string>> = {};
    // Variants of one card in parallel: sharp works off the main thread while the photo warp runs on it.
    await Promise.all(
      variants.map(async (v) => {
        const { bytes, ext } = await card.render(v);
        const file = join(dir, `${v}.${ext}`);
        await writeFile(file, bytes);
        files[v] = file;
      }),
    );
    entries.push({ id: card.id, seed: card.seed, dir, files });
    opts.onCard?.(card, Object.values(files));
  }
  return entries;
}

export { FAMILIES, HELD_OUT_FAMILY, isFamily } from './families.ts';
export type { Family } from './families.ts';
export { DOCUMENTS, renderDocument } from './documents.ts';
export type { DocumentKind } from './documents.ts';

export interface FamilyCardImage {
  id: string;
  seed: number;
  family: Family;
  /** What the card prints, exactly. */
  truth: RawKtpFields;
  /** Whether the printed NIK is 16 digits (malformed ones are printed on purpose). */
  nikIs16Digits: boolean;
  /** The family's image of the card; for `classic`, the given variant (default `clean`). */
  render(variant?: Variant): Promise<RenderedImage>;
}

/**
 * Card `seed` as renderer family `family` draws it. `classic` is generateCard (and its variants);
 * the other families draw their own identity for the seed (streams prefixed by the family), with
 * their own template, fonts, quirks and degradation.
 */
export function generateFamilyCard(seed: number, family: Family): FamilyCardImage {
  if (family === 'classic') {
    const card = generateCard(seed);
    return { id: card.id, seed, family, truth: card.truth, nikIs16Digits: true, render: (variant = 'clean') => card.render(variant) };
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const data = generateCardData(familyRng(seed, family, 'truth'));
  // A hard photo's card is drawn by one of the other renderers, chosen by the seed; its own streams all the same.
  const drawer = family === 'hardphoto' ? familyRng(seed, family, 'source').pick(HARD_PHOTO_SOURCES) : family;
  const printed: FamilyCard =
    drawer === 'classic' ? { truth: data.truth, wna: false, nikIs16Digits: true } : familyTruth(data, drawer, familyRng(seed, family, 'quirks'));
  const truth = Object.fromEntries(TRUTH_KEYS.map((k) => [k, printed.truth[k]])) as unknown as RawKtpFields;
  const draw = (): Raw => {
    const layout = familyRng(seed, family, 'layout');
    return drawer === 'classic' ? canvasToRaw(renderCardCanvas(data, layout)) : renderFamilyCard(data, printed, drawer, layout);
  };
  return {
    id: `${family}-${String(seed).padStart(5, '0')}`,
    seed,
    family,
    truth,
    nikIs16Digits: printed.nikIs16Digits,
    render: async () => {
      const degrade = familyRng(seed, family, 'degrade');
      return family === 'hardphoto' ? hardPhoto(draw(), degrade) : degradeFamilyCard(draw(), family, degrade);
    },
  };
}
