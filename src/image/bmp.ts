/**
 * Our BMP reader, shared by the image validation (every provider) and the offline engine:
 * sharp/libvips has no BMP loader. It reads the BMPs phones and scanners actually send:
 * uncompressed (BI_RGB, or BI_BITFIELDS with the standard masks) 24- and 32-bit, bottom-up or
 * top-down. The rarer variants (RLE, palettes, 16-bit, OS/2 headers) are refused rather than
 * guessed at, and so is every header whose numbers do not add up.
 */
import type { Raster } from './raster.ts';

/** Why a BMP was refused; answered as IMAGE_INVALID_FORMAT. */
export class BmpError extends Error {
  override name = 'BmpError';
}

/** What the header says, checked against itself and against the file's length. */
export interface BmpHeader {
  width: number;
  height: number;
  topDown: boolean;
  bytesPerPixel: 3 | 4;
  pixelOffset: number;
  stride: number;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;

/**
 * Reads and checks the header without touching a pixel: the validation step calls only this.
 * Dimensions are whatever the header claims (limits on them are the caller's); a header that
 * cannot describe this file (non-positive sizes, INT32_MIN, pixel rows past the end) is refused.
 */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.byteLength < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw new BmpError('not a BMP file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40 || 14 + headerSize > bytes.byteLength) {
    // 12-byte OS/2 headers carry 16-bit sizes and palettes only; nobody sends them any more.
    throw new BmpError(`unsupported BMP header (${headerSize} bytes)`);
  }
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const planes = view.getUint16(26, true);
  const bitCount = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (planes !== 1) throw new BmpError('corrupt BMP header');
  if (bitCount !== 24 && bitCount !== 32) throw new BmpError(`unsupported BMP depth (${bitCount} bits)`);
  if (compression !== BI_RGB && !(compression === BI_BITFIELDS && bitCount === 32 && hasStandardMasks(view))) {
    throw new BmpError(`unsupported BMP compression (${compression})`);
  }
  // A negative height means top-down rows; INT32_MIN has no positive counterpart and is refused.
  if (width <= 0 || rawHeight === 0 || rawHeight === -0x80000000) throw new BmpError('bad BMP dimensions');
  const height = Math.abs(rawHeight);
  const bytesPerPixel = (bitCount / 8) as 3 | 4;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  // In floating point on purpose: 50000 × 50000 claims overflow no 32-bit arithmetic here.
  if (pixelOffset < 14 + headerSize || pixelOffset + stride * (height - 1) + width * bytesPerPixel > bytes.byteLength) {
    throw new BmpError('truncated BMP pixel data');
  }
  return { width, height, topDown: rawHeight < 0, bytesPerPixel, pixelOffset, stride };
}

/**
 * Decodes to RGB. With `maxSide`, the image is shrunk while it is read (each output pixel the
 * mean of an integer box of input pixels), so a large BMP never exists at full size in memory.
 */
export function decodeBmp(bytes: Uint8Array, { maxSide }: { maxSide?: number } = {}): Raster {
  const header = readBmpHeader(bytes);
  const { width, height, topDown, bytesPerPixel, pixelOffset, stride } = header;
  const factor = maxSide ? Math.max(1, Math.ceil(Math.max(width, height) / maxSide)) : 1;
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const data = new Uint8Array(outWidth * outHeight * 3);
  if (factor === 1) {
    for (let y = 0; y < height; y++) {
      const srcRow = pixelOffset + (topDown ? y : height - 1 - y) * stride;
      let d = y * width * 3;
      for (let x = 0; x < width; x++) {
        const s = srcRow + x * bytesPerPixel;
        // Stored B, G, R(, X); alpha is ignored: a card photo has none worth keeping.
        data[d++] = bytes[s + 2]!;
        data[d++] = bytes[s + 1]!;
        data[d++] = bytes[s]!;
      }
    }
    return { width, height, data };
  }
  // One output row of sums at a time: memory is the output plus a row, whatever the input.
  const sums = new Uint32Array(outWidth * 3);
  const counts = new Uint32Array(outWidth);
  for (let oy = 0; oy < outHeight; oy++) {
    sums.fill(0);
    counts.fill(0);
    for (let y = oy * factor; y < Math.min(height, (oy + 1) * factor); y++) {
      const srcRow = pixelOffset + (topDown ? y : height - 1 - y) * stride;
      for (let x = 0; x < width; x++) {
        const s = srcRow + x * bytesPerPixel;
        const ox = (x / factor) | 0;
        sums[ox * 3]! += bytes[s + 2]!;
        sums[ox * 3 + 1]! += bytes[s + 1]!;
        sums[ox * 3 + 2]! += bytes[s]!;
        counts[ox]!++;
      }
    }
    let d = oy * outWidth * 3;
    for (let ox = 0; ox < outWidth; ox++) {
      const n = counts[ox]!;
      data[d++] = Math.round(sums[ox * 3]! / n);
      data[d++] = Math.round(sums[ox * 3 + 1]! / n);
      data[d++] = Math.round(sums[ox * 3 + 2]! / n);
    }
  }
  return { width: outWidth, height: outHeight, data };
}

function hasStandardMasks(view: DataView): boolean {
  // With a 40-byte header the three masks follow it; larger headers carry them inside.
  const at = 14 + 40;
  if (at + 12 > view.byteLength) return false;
  return view.getUint32(at, true) === 0x00ff0000 && view.getUint32(at + 4, true) === 0x0000ff00 && view.getUint32(at + 8, true) === 0x000000ff;
}
