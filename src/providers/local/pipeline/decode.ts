import { decodeBmp, BmpError } from '../../../image/bmp.ts';
import { decodeWithSharp, UndecodableImageError } from '../../../image/sharp-decode.ts';
import type { ImageFormat } from '../../provider.ts';
import type { Raster } from './raster.ts';

export { UndecodableImageError };

/**
 * Beyond this the detector gains nothing on a card that fills the frame (text is already ~20 px
 * tall) and every later step costs more; a 12 MP phone photo is shrunk here once.
 */
const MAX_DECODED_SIDE = 1600;

/**
 * Pixels upright as the camera meant them (EXIF orientation applied), RGB, at most
 * MAX_DECODED_SIDE. Shrunk on load, so one job's memory does not grow with the input: sharp
 * lets libjpeg decode a JPEG at 1/2..1/8 scale and streams a PNG through the resize row by row,
 * and the BMP reader averages boxes of pixels as it reads. No full-size copy is ever made.
 */
export async function decodeImage(bytes: Uint8Array, format: ImageFormat): Promise<Raster> {
  if (format === 'bmp') {
    try {
      return decodeBmp(bytes, { maxSide: MAX_DECODED_SIDE });
    } catch (error) {
      if (error instanceof BmpError) throw new UndecodableImageError(error.message);
      throw error;
    }
  }
  return decodeWithSharp(bytes, format, async (image) => {
    const { data, info } = await image
      .rotate()
      .resize({ width: MAX_DECODED_SIDE, height: MAX_DECODED_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new UndecodableImageError(`unexpected ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  });
}
