import sharp, { type Sharp } from 'sharp';
import type { ImageFormat } from '../providers/provider.ts';

/**
 * The most pixels any decode in this process will accept, whatever IMAGE_MAX_PIXELS says (the
 * setting may lower it, not raise it): sharp refuses a larger canvas before allocating it.
 */
export const MAX_DECODE_PIXELS = 40_000_000;

/** A file that looked like an image but cannot be decoded; answered as IMAGE_INVALID_FORMAT. */
export class UndecodableImageError extends Error {
  override name = 'UndecodableImageError';
}

/** libjpeg and libpng phrasings of "the data stops early"; any other warning is tolerated. */
const TRUNCATION = /premature end|truncat|unexpected end|not enough data|incomplete/i;

let configured = false;

/**
 * Runs a sharp pipeline over a jpeg or png, strictly first, because libjpeg reports a file cut
 * short (with an end marker glued on) only as a warning and would otherwise hand back a
 * half-grey card. Phones do write JPEGs with harmless warnings (extraneous bytes before a marker),
 * so anything else that only warns is decoded again leniently. Every failure becomes an
 * `UndecodableImageError` whose message names the format, never the content.
 *
 * The validation step and the offline engine both decode through here, so an image one accepts
 * the other can read.
 */
export async function decodeWithSharp<T>(
  bytes: Uint8Array,
  format: ImageFormat,
  run: (image: Sharp) => Promise<T>,
  { maxPixels = MAX_DECODE_PIXELS }: { maxPixels?: number } = {},
): Promise<T> {
  if (!configured) {
    // libvips keeps recent operations (and their decoded pixels) for reuse: useless for uploads
    // that are each different, and up to 50 MB of memory held for nothing.
    sharp.cache(false);
    configured = true;
  }
  const open = (failOn: 'warning' | 'error') =>
    sharp(bytes, { failOn, limitInputPixels: Math.min(maxPixels, MAX_DECODE_PIXELS), sequentialRead: true });
  try {
    return await run(open('warning'));
  } catch (strictError) {
    if (strictError instanceof UndecodableImageError) throw strictError;
    if (TRUNCATION.test(String((strictError as Error)?.message))) {
      throw new UndecodableImageError(`the ${format} data ends early`);
    }
  }
  try {
    return await run(open('error'));
  } catch (error) {
    if (error instanceof UndecodableImageError) throw error;
    throw new UndecodableImageError(`the ${format} data cannot be decoded`);
  }
}
