import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { createConcurrencyLimit } from '../limit-concurrency.ts';
import { CONTRACT_MESSAGES } from '../contract.ts';
import { ocrError, type ErrorOutcome } from '../outcome.ts';
import type { ImageInfo } from '../providers/provider.ts';
import { BmpError, readBmpHeader } from './bmp.ts';
import { decodeWithSharp, MAX_DECODE_PIXELS, UndecodableImageError } from './sharp-decode.ts';

/** What an image must be, in pixels, before any provider sees it. */
export interface ImageLimits {
  /** Width × height at most this. Default 40,000,000 (a 12 MP phone photo is 12,000,000); never above it. */
  maxPixels: number;
  /** Each side at least this many pixels. Default 64: no card can be read from less. */
  minSide: number;
  /** Longer side ÷ shorter side at most this. Default 8: a KTP is 1.58:1; a 39,000,000 × 1 strip is not a photo. */
  maxAspect: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: MAX_DECODE_PIXELS, minSide: 64, maxAspect: 8 };

/** An image that decodes and is within the limits. */
export interface ValidImage extends ImageInfo {
  width: number;
  height: number;
}

/**
 * Decodes an upload that passed `inspectImage` (known format, within the byte limit), the same
 * way for every provider, so that nothing that does not decode reaches the paid API:
 *
 * 1. The header's dimensions (sharp's metadata for jpeg/png, our reader for bmp) are checked
 *    against `limits` before a pixel is decoded: a 110-byte JPEG claiming 65000² costs nothing.
 * 2. jpeg and png are then decoded in full: a corrupt PNG IDAT or JPEG scan is only found by
 *    decoding. A JPEG is decoded to a thumbnail (libjpeg still reads every coefficient, at 1/8
 *    scale); a PNG has no such shortcut, so its last pixel row is asked for, which streams every
 *    row through the decoder and keeps only a window of them (12 concurrent 6300² 16-bit PNGs:
 *    +80 MB, where a resize held +185 MB). It runs on the libuv pool, never the event loop, at
 *    most one decode per core at a time. A bmp is uncompressed: its header, checked against the
 *    file's length, says all.
 *
 * Refusals are free and not retryable: `IMAGE_INVALID_FORMAT` when the file is not a decodable
 * image (corrupt data, impossible header, an unsupported variant), `IMAGE_INVALID_SIZE` when it
 * is one whose pixel dimensions are out of bounds. Messages name the format and the dimensions,
 * never the content.
 */
export async function validateImage(bytes: Uint8Array, image: ImageInfo, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ValidImage | ErrorOutcome> {
  let size: { width: number; height: number };
  try {
    size = image.format === 'bmp' ? readBmpHeader(bytes) : await sharpSize(bytes);
  } catch (error) {
    if (error instanceof BmpError || error instanceof UndecodableImageError) return invalidFormat(error.message);
    return invalidFormat(`the ${image.format} header cannot be read`);
  }
  const refusal = outOfBounds(size.width, size.height, limits);
  if (refusal) return ocrError('IMAGE_INVALID_SIZE', refusal, { charged: false, retryable: false });

  if (image.format !== 'bmp') {
    const release = (await decodes.acquire())!;
    try {
      await decodeWithSharp(
        bytes,
        image.format,
        (pipeline) =>
          image.format === 'png'
            ? pipeline.extract({ left: 0, top: size.height - 1, width: 1, height: 1 }).raw().toBuffer()
            : pipeline.resize({ width: 32, height: 32, fit: 'inside' }).raw().toBuffer(),
        { maxPixels: limits.maxPixels },
      );
    } catch (error) {
      return invalidFormat(error instanceof UndecodableImageError ? error.message : `the ${image.format} data cannot be decoded`);
    } finally {
      release();
    }
  }
  return { ...image, width: size.width, height: size.height };
}

/** Full decodes at once in this process: each holds a window of rows, so many at once add up. The rest wait their turn. */
const decodes = createConcurrencyLimit({ max: Math.max(1, availableParallelism()), maxQueue: Number.POSITIVE_INFINITY });

async function sharpSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  let metadata;
  try {
    // Reads the header only; no pixel is decoded and no pixel limit applies yet.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new UndecodableImageError('the image header cannot be read');
  }
  const { width, height } = metadata;
  if (!Number.isInteger(width) || !Number.isInteger(height) || !(width! > 0) || !(height! > 0)) {
    throw new UndecodableImageError('the image header has no valid dimensions');
  }
  return { width: width!, height: height! };
}

function outOfBounds(width: number, height: number, limits: ImageLimits): string | null {
  const pixels = width * height;
  const shorter = Math.min(width, height);
  const longer = Math.max(width, height);
  if (pixels > Math.min(limits.maxPixels, MAX_DECODE_PIXELS)) {
    return `the image is ${width}x${height} pixels, more than the ${Math.min(limits.maxPixels, MAX_DECODE_PIXELS)} allowed`;
  }
  if (shorter < limits.minSide) return `the image is ${width}x${height} pixels; each side must be at least ${limits.minSide}`;
  if (longer / shorter > limits.maxAspect) return `the image is ${width}x${height} pixels; its sides may differ at most ${limits.maxAspect}:1`;
  return null;
}

function invalidFormat(reason: string): ErrorOutcome {
  return ocrError('IMAGE_INVALID_FORMAT', `${CONTRACT_MESSAGES.IMAGE_INVALID_FORMAT}: ${reason}`, { charged: false, retryable: false });
}
