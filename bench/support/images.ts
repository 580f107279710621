/**
 * The images of one declared range (bench/ranges.ts), rendered in order: every seed, and for the
 * classic family each of its variants. What bench:accuracy measures and tools/calibrate.ts fits on.
 */
import type { ImageFormat } from '../../src/providers/provider.ts';
import { inspectImage, isErrorOutcome } from '../../src/recognition/inspect-image.ts';
import { generateFamilyCard, type Variant } from '../../tools/synthetic-ktp/index.ts';
import type { Range } from '../ranges.ts';

export interface RangeImage {
  seed: number;
  variant: Variant | undefined;
  card: ReturnType<typeof generateFamilyCard>;
  bytes: Uint8Array;
  format: ImageFormat;
  /** `phone 12`, `classic 3 blur`: where a figure or a miss comes from. */
  where: string;
}

export async function* rangeImages(range: Range, variants: readonly Variant[]): AsyncGenerator<RangeImage> {
  for (let seed = range.first; seed <= range.last; seed++) {
    const card = generateFamilyCard(seed, range.family);
    const images: (Variant | undefined)[] = range.family === 'classic' ? [...variants] : [undefined];
    for (const variant of images) {
      const { bytes } = await card.render(variant);
      const image = inspectImage(bytes);
      if (isErrorOutcome(image)) throw new Error(`generated image refused: ${image.code}`);
      yield { seed, variant, card, bytes, format: image.format, where: `${range.family} ${seed}${variant ? ` ${variant}` : ''}` };
    }
  }
}
