import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BmpError, decodeBmp, readBmpHeader } from '../../../src/image/bmp.ts';
import { decodeImage, UndecodableImageError } from '../../../src/providers/local/pipeline/decode.ts';
import { sniffFormat } from '../../../src/recognition/inspect-image.ts';
import { hostileImages } from '../../support/hostile-images.ts';

type Rgb = [number, number, number];

/** A BMP built by hand: BITMAPFILEHEADER + BITMAPINFOHEADER, rows padded to 4 bytes. */
function bmp(pixels: Rgb[][], options: { bits?: 24 | 32; topDown?: boolean; compression?: number; bitCount?: number; masks?: number[] } = {}): Uint8Array {
  const bits = options.bits ?? 24;
  const height = pixels.length;
  const width = pixels[0]!.length;
  const bpp = bits / 8;
  const stride = Math.ceil((width * bpp) / 4) * 4;
  const masks = options.masks ?? [];
  const offset = 14 + 40 + masks.length * 4;
  const out = new Uint8Array(offset + stride * height);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, out.byteLength, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, options.topDown ? -height : height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, options.bitCount ?? bits, true);
  view.setUint32(30, options.compression ?? 0, true);
  masks.forEach((m, i) => view.setUint32(54 + i * 4, m, true));
  for (let y = 0; y < height; y++) {
    const row = options.topDown ? y : height - 1 - y;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixels[y]![x]!;
      const at = offset + row * stride + x * bpp;
      out[at] = b;
      out[at + 1] = g;
      out[at + 2] = r;
      if (bpp === 4) out[at + 3] = 0xff;
    }
  }
  return out;
}

// 3 px wide: 9 bytes of 24-bit pixels per row, padded to 12; the padding must be skipped.
const PIXELS: Rgb[][] = [
  [[255, 0, 0], [0, 255, 0], [0, 0, 255]],
  [[10, 20, 30], [40, 50, 60], [70, 80, 90]],
];
const EXPECTED = PIXELS.flat(2);

describe('decodeBmp', () => {
  it('reads a 24-bit bottom-up BMP with padded rows', () => {
    const raster = decodeBmp(bmp(PIXELS));
    expect([raster.width, raster.height]).toEqual([3, 2]);
    expect([...raster.data]).toEqual(EXPECTED);
  });

  it('reads a 24-bit top-down BMP (negative height)', () => {
    expect([...decodeBmp(bmp(PIXELS, { topDown: true })).data]).toEqual(EXPECTED);
  });

  it('reads 32-bit BMPs, BI_RGB and BI_BITFIELDS with the standard masks', () => {
    expect([...decodeBmp(bmp(PIXELS, { bits: 32 })).data]).toEqual(EXPECTED);
    expect([...decodeBmp(bmp(PIXELS, { bits: 32, topDown: true })).data]).toEqual(EXPECTED);
    const bitfields = bmp(PIXELS, { bits: 32, compression: 3, masks: [0x00ff0000, 0x0000ff00, 0x000000ff] });
    expect([...decodeBmp(bitfields).data]).toEqual(EXPECTED);
  });

  it('refuses what it does not decode instead of guessing', () => {
    expect(() => decodeBmp(bmp(PIXELS, { compression: 1 }))).toThrow(/compression/); // RLE8
    expect(() => decodeBmp(bmp(PIXELS, { bitCount: 8 }))).toThrow(/depth/); // palette
    expect(() => decodeBmp(bmp(PIXELS, { bits: 32, compression: 3, masks: [0xff, 0xff00, 0xff0000] }))).toThrow(/compression/);
    const truncated = bmp(PIXELS).subarray(0, 14 + 40 + 12);
    expect(() => decodeBmp(truncated)).toThrow(BmpError);
    expect(() => decodeBmp(Uint8Array.of(0x42, 0x4d, 0, 0))).toThrow(BmpError);
  });

  it('turns a broken BMP into an UndecodableImageError (IMAGE_INVALID_FORMAT) in the decode step', async () => {
    await expect(decodeImage(bmp(PIXELS, { bitCount: 16 }), 'bmp')).rejects.toBeInstanceOf(UndecodableImageError);
    const raster = await decodeImage(bmp(PIXELS), 'bmp');
    expect([...raster.data]).toEqual(EXPECTED);
  });

  it('shrinks while reading when asked: each output pixel is the mean of its box, no full-size copy', () => {
    // 4x2 pixels shrunk by 2: two boxes of 2x2.
    const pixels: Rgb[][] = [
      [[0, 0, 0], [100, 100, 100], [10, 20, 30], [10, 20, 30]],
      [[200, 200, 200], [100, 100, 100], [50, 60, 70], [10, 20, 30]],
    ];
    const raster = decodeBmp(bmp(pixels), { maxSide: 2 });
    expect([raster.width, raster.height]).toEqual([2, 1]);
    expect([...raster.data]).toEqual([100, 100, 100, 20, 30, 40]);
    // Uneven edges: 3 wide by 2 leaves a last box one pixel wide.
    const edge = decodeBmp(bmp(PIXELS), { maxSide: 2 });
    expect([edge.width, edge.height]).toEqual([2, 1]);
    expect([...edge.data]).toEqual([
      Math.round((255 + 0 + 10 + 40) / 4), Math.round((0 + 255 + 20 + 50) / 4), Math.round((0 + 0 + 30 + 60) / 4),
      Math.round((0 + 70) / 2), Math.round((0 + 80) / 2), Math.round((255 + 90) / 2),
    ]);
  });

  it('refuses headers that cannot describe the file: 0 or negative width, INT32_MIN height, rows past the end', () => {
    const withHeader = (width: number, height: number) => {
      const bytes = bmp(PIXELS);
      const view = new DataView(bytes.buffer);
      view.setInt32(18, width, true);
      view.setInt32(22, height, true);
      return bytes;
    };
    expect(() => readBmpHeader(withHeader(0, 2))).toThrow(/dimensions/);
    expect(() => readBmpHeader(withHeader(-3, 2))).toThrow(/dimensions/);
    expect(() => readBmpHeader(withHeader(3, -0x80000000))).toThrow(/dimensions/);
    expect(() => readBmpHeader(withHeader(50_000, 50_000))).toThrow(/truncated/);
    expect(readBmpHeader(withHeader(3, -2))).toMatchObject({ width: 3, height: 2, topDown: true });
  });

  it('decodes the synthetic card fixture (640x403, 24-bit)', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../fixtures/cards/ktp-09185/bmp.bmp', import.meta.url)));
    const raster = decodeBmp(bytes);
    expect([raster.width, raster.height]).toEqual([640, 403]);
  });
});

describe('decodeImage', () => {
  it('refuses every hostile file as undecodable, or decodes it shrunk to at most 1600 px a side: never a crash', async () => {
    for (const file of await hostileImages(51)) {
      const format = sniffFormat(file.bytes)!;
      try {
        const raster = await decodeImage(file.bytes, format);
        expect(Math.max(raster.width, raster.height), file.name).toBeLessThanOrEqual(1600);
        expect(raster.data.byteLength, file.name).toBe(raster.width * raster.height * 3);
      } catch (error) {
        expect(error, file.name).toBeInstanceOf(UndecodableImageError);
      }
    }
  });

  it('shrinks a large BMP on load to at most 1600 px a side', async () => {
    const wide = bmp(Array.from({ length: 40 }, () => Array.from({ length: 3200 }, (): Rgb => [10, 20, 30])));
    const raster = await decodeImage(wide, 'bmp');
    expect([raster.width, raster.height]).toEqual([1600, 20]);
    expect([...raster.data.subarray(0, 3)]).toEqual([10, 20, 30]);
  });

  const photo = new URL('../../fixtures/cards/ktp-09001/photo.jpg', import.meta.url);

  it('rejects a JPEG cut in half even with its end marker glued back on', async () => {
    const bytes = new Uint8Array(await readFile(photo));
    const cut = Uint8Array.from([...bytes.subarray(0, bytes.length >> 1), 0xff, 0xd9]);
    await expect(decodeImage(cut, 'jpeg')).rejects.toBeInstanceOf(UndecodableImageError);
  });

  it('applies the EXIF orientation', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../fixtures/cards/ktp-09001/exif-rotated.jpg', import.meta.url)));
    const raster = await decodeImage(bytes, 'jpeg');
    expect(raster.width).toBeGreaterThan(raster.height);
  });
});
