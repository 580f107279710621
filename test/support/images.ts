import sharp from 'sharp';

/**
 * Small real images for tests, different bytes per `seed` so that each test has its own cache key.
 * Not KTPs: the paid API (faked) does not look at the pixels. 96x64 by default: every image is
 * decoded and checked before a provider sees it, and a side under 64 px is refused.
 */
export async function testPng(seed: number, width = 96, height = 64): Promise<Uint8Array<ArrayBuffer>> {
  const pixels = Buffer.alloc(width * height * 3);
  // mulberry32: noise that PNG cannot compress, so sizes are predictable.
  let state = seed >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    pixels[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

export async function testJpeg(seed: number, width = 96, height = 64): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await sharp(await testPng(seed, width, height)).jpeg({ quality: 90 }).toBuffer());
}

/** A PNG of about `bytes` bytes (noise does not compress), for size limits and the benchmark. */
export async function testPngOfSize(seed: number, bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  return testPng(seed, side, side);
}

/** Pads a PNG with a trailing ancillary-free tail so it has exactly `bytes` bytes and still ends with IEND. */
export function padPngTo(png: Uint8Array, bytes: number): Uint8Array<ArrayBuffer> {
  if (png.byteLength > bytes) throw new Error('png already larger than the target');
  // Insert a private ancillary chunk ("tEXt" would be parsed); here a raw filler chunk "prVt".
  const fillerData = bytes - png.byteLength - 12;
  if (fillerData < 0) throw new Error('target too close to the png size');
  const iendStart = png.byteLength - 12;
  const out = new Uint8Array(bytes);
  out.set(png.subarray(0, iendStart), 0);
  const view = new DataView(out.buffer);
  view.setUint32(iendStart, fillerData);
  out.set([0x70, 0x72, 0x56, 0x74], iendStart + 4); // "prVt"
  // CRC left zero: decoders are not asked to read this image, only the size check is.
  out.set(png.subarray(iendStart), bytes - 12);
  return out;
}
