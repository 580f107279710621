import sharp from 'sharp';
import type { ImageFormat } from '../../provider.ts';
import { BmpError, decodeBmp } from './bmp.ts';
import { resize, type Raster } from './raster.ts';

/** A file that looked like an image but cannot be decoded; answered as IMAGE_INVALID_FORMAT. */
export class UndecodableImageError extends Error {
  override name = 'UndecodableImageError';
}

/**
 * Beyond this the detector gains nothing on a card that fills the frame (text is already ~20 px
 * tall) and every later step costs more; a 12 MP phone photo is shrunk here once.
 */
const MAX_DECODED_SIDE = 1600;

/** Pixels upright as the camera meant them (EXIF orientation applied), RGB, at most MAX_DECODED_SIDE. */
export async function decodeImage(bytes: Uint8Array, format: ImageFormat): Promise<Raster> {
  let raster: Raster;
  if (format === 'bmp') {
    try {
      // sharp caps its own output at MAX_DECODED_SIDE; our BMP decoder does not.
      raster = shrinkToLimit(decodeBmp(bytes));
    } catch (error) {
      if (error instanceof BmpError) throw new UndecodableImageError(error.message);
      throw error;
    }
  } else {
    raster = await decodeWithSharp(bytes, format);
  }
  return raster;
}

function shrinkToLimit(raster: Raster): Raster {
  const longest = Math.max(raster.width, raster.height);
  if (longest <= MAX_DECODED_SIDE) return raster;
  const scale = MAX_DECODED_SIDE / longest;
  return resize(raster, Math.max(1, Math.round(raster.width * scale)), Math.max(1, Math.round(raster.height * scale)));
}

/** libjpeg and libpng phrasings of "the data stops early"; any other warning is tolerated. */
const TRUNCATION = /premature end|truncat|unexpected end|not enough data|incomplete/i;

/**
 * Decoded strictly first, because libjpeg reports a file cut short (with an end marker glued
 * on) only as a warning and would otherwise hand back a half-grey card. Phones do write JPEGs
 * with harmless warnings (extraneous bytes before a marker), so anything else that only warns
 * is decoded again leniently.
 */
async function decodeWithSharp(bytes: Uint8Array, format: ImageFormat): Promise<Raster> {
  try {
    return await sharpRaw(bytes, 'warning');
  } catch (strictError) {
    if (strictError instanceof UndecodableImageError) throw strictError;
    if (TRUNCATION.test(String((strictError as Error)?.message))) {
      throw new UndecodableImageError(`the ${format} data ends early`);
    }
  }
  try {
    return await sharpRaw(bytes, 'error');
  } catch (error) {
    if (error instanceof UndecodableImageError) throw error;
    throw new UndecodableImageError(`the ${format} data cannot be decoded`);
  }
}

async function sharpRaw(bytes: Uint8Array, failOn: 'warning' | 'error'): Promise<Raster> {
  // limitInputPixels: a 2 MiB file can still declare a huge canvas; this bounds the decode.
  const { data, info } = await sharp(bytes, { failOn, limitInputPixels: 40_000_000 })
    .rotate()
    .resize({ width: MAX_DECODED_SIDE, height: MAX_DECODED_SIDE, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new UndecodableImageError(`unexpected ${info.channels} channels`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
