import type { Raster } from './raster.ts';

/** Why a BMP was refused; the provider turns it into IMAGE_INVALID_FORMAT. */
export class BmpError extends Error {
  override name = 'BmpError';
}

/**
 * Decodes the BMPs phones and scanners actually send: uncompressed (BI_RGB, or BI_BITFIELDS with
 * the standard masks) 24- and 32-bit, bottom-up or top-down. sharp/libvips has no BMP loader, and
 * the rarer variants (RLE, palettes, 16-bit) are refused rather than guessed at.
 */
export function decodeBmp(bytes: Uint8Array): Raster {
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
  const BI_RGB = 0;
  const BI_BITFIELDS = 3;
  if (compression !== BI_RGB && !(compression === BI_BITFIELDS && bitCount === 32 && hasStandardMasks(view))) {
    throw new BmpError(`unsupported BMP compression (${compression})`);
  }
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  // The gateway's 2 MiB limit caps real images far below this; it guards the allocation below.
  if (width <= 0 || height <= 0 || width > 20_000 || height > 20_000) throw new BmpError('bad BMP dimensions');
  const bytesPerPixel = bitCount / 8;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  if (pixelOffset + stride * (height - 1) + width * bytesPerPixel > bytes.byteLength) {
    throw new BmpError('truncated BMP pixel data');
  }
  const data = new Uint8Array(width * height * 3);
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

function hasStandardMasks(view: DataView): boolean {
  // With a 40-byte header the three masks follow it; larger headers carry them inside.
  const at = 14 + 40;
  if (at + 12 > view.byteLength) return false;
  return view.getUint32(at, true) === 0x00ff0000 && view.getUint32(at + 4, true) === 0x0000ff00 && view.getUint32(at + 8, true) === 0x000000ff;
}
