import { describe, expect, it } from 'vitest';
import { inspectImage, isErrorOutcome, sniffFormat } from '../../src/recognition/inspect-image.ts';
import { testBmp, testPdf, testText, truncated } from '../support/image-bytes.ts';
import { padPngTo, testJpeg, testPng } from '../support/images.ts';
import { CONTRACT_MAX_IMAGE_BYTES } from '../support/contract.ts';

describe('inspectImage', () => {
  it('recognises a JPEG, a PNG and a BMP from their bytes', async () => {
    const jpeg = await testJpeg(1);
    const png = await testPng(1);
    const bmp = testBmp(1);
    expect(inspectImage(jpeg)).toEqual({ format: 'jpeg', byteLength: jpeg.byteLength });
    expect(inspectImage(png)).toEqual({ format: 'png', byteLength: png.byteLength });
    expect(inspectImage(bmp)).toEqual({ format: 'bmp', byteLength: bmp.byteLength });
  });

  it('accepts a JPEG padded with a few bytes after its end marker', async () => {
    const jpeg = await testJpeg(2);
    const padded = new Uint8Array(jpeg.byteLength + 16);
    padded.set(jpeg);
    expect(inspectImage(padded)).toMatchObject({ format: 'jpeg' });
  });

  it.each([
    ['a PDF', testPdf()],
    ['a text file', testText()],
    ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;')],
    ['a RIFF/WebP header', new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPVP8 ')],
    ['two bytes of JPEG magic only', new Uint8Array([0xff, 0xd8])],
  ])('refuses %s as IMAGE_INVALID_FORMAT, free and not retryable', (_name, bytes) => {
    const result = inspectImage(bytes);
    expect(result).toMatchObject({ kind: 'error', code: 'IMAGE_INVALID_FORMAT', charged: false, retryable: false });
    expect((result as { message: string }).message).toMatch(/jpeg, png or bmp/);
  });

  it('refuses a BMP whose DIB header size is not a known one', () => {
    const bmp = testBmp(3);
    new DataView(bmp.buffer).setUint32(14, 99, true);
    expect(sniffFormat(bmp)).toBeNull();
    expect(inspectImage(bmp)).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
  });

  it.each([
    ['JPEG', () => testJpeg(4, 64, 64)],
    ['PNG', () => testPng(4, 64, 64)],
  ])('refuses a truncated %s as IMAGE_INVALID_FORMAT naming the truncation', async (format, make) => {
    const whole = await make();
    for (const fraction of [0.25, 0.5, 0.9]) {
      const result = inspectImage(truncated(whole, fraction));
      expect(result, `${format} cut at ${fraction}`).toMatchObject({ kind: 'error', code: 'IMAGE_INVALID_FORMAT', charged: false });
      expect((result as { message: string }).message).toContain('truncated');
    }
  });

  it('refuses a BMP cut before its pixel data', () => {
    const bmp = testBmp(5, 8, 8);
    expect(inspectImage(bmp.slice(0, 40))).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
  });

  it('answers an empty upload with INVALID_REQUEST, free and not retryable', () => {
    expect(inspectImage(new Uint8Array(0))).toMatchObject({
      kind: 'error',
      code: 'INVALID_REQUEST',
      message: 'the image is empty',
      charged: false,
      retryable: false,
    });
  });

  it('accepts exactly 2 MiB and refuses 2 MiB + 1 byte with IMAGE_INVALID_SIZE', async () => {
    expect(CONTRACT_MAX_IMAGE_BYTES).toBe(2 * 1024 * 1024);
    const png = await testPng(6);
    const atLimit = padPngTo(png, CONTRACT_MAX_IMAGE_BYTES);
    const overLimit = padPngTo(png, CONTRACT_MAX_IMAGE_BYTES + 1);
    expect(inspectImage(atLimit)).toEqual({ format: 'png', byteLength: CONTRACT_MAX_IMAGE_BYTES });
    const refused = inspectImage(overLimit);
    expect(refused).toMatchObject({ kind: 'error', code: 'IMAGE_INVALID_SIZE', charged: false, retryable: false });
    expect((refused as { message: string }).message).toContain('image larger than 2M');
  });

  it('checks the size before the format, so a huge non-image is refused for its size', () => {
    const big = new Uint8Array(CONTRACT_MAX_IMAGE_BYTES + 1);
    expect(inspectImage(big)).toMatchObject({ code: 'IMAGE_INVALID_SIZE' });
  });

  it('honours a smaller limit when one is given', async () => {
    const png = await testPng(7);
    expect(inspectImage(png, png.byteLength)).toMatchObject({ format: 'png' });
    expect(inspectImage(png, png.byteLength - 1)).toMatchObject({ code: 'IMAGE_INVALID_SIZE' });
  });

  it('isErrorOutcome tells the two answers apart', async () => {
    expect(isErrorOutcome(inspectImage(new Uint8Array(0)))).toBe(true);
    expect(isErrorOutcome(inspectImage(await testPng(8)))).toBe(false);
  });
});

describe('sniffFormat and the completeness checks, byte by byte (found by StrykerJS)', () => {
  /** A minimal BMP header: "BM", the pixel data offset at 10 and the DIB header size at 14. */
  function bmpHeader(length: number, pixelOffset: number, dibSize = 40): Uint8Array {
    const bytes = new Uint8Array(length);
    bytes.set([0x42, 0x4d]);
    new DataView(bytes.buffer).setUint32(10, pixelOffset, true);
    new DataView(bytes.buffer).setUint32(14, dibSize, true);
    return bytes;
  }

  it('needs all three bytes of the JPEG signature', () => {
    expect(sniffFormat(Uint8Array.of(0xff, 0xd8, 0xff))).toBe('jpeg');
    for (const bytes of [Uint8Array.of(0x00, 0xd8, 0xff), Uint8Array.of(0xff, 0x00, 0xff), Uint8Array.of(0xff, 0xd8, 0x00), Uint8Array.of(0xff, 0xd8)]) {
      expect(sniffFormat(bytes)).toBeNull();
    }
  });

  it('needs all eight bytes of the PNG signature', () => {
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    expect(sniffFormat(Uint8Array.from(signature))).toBe('png');
    expect(sniffFormat(Uint8Array.from(signature.slice(0, 7)))).toBeNull();
    expect(sniffFormat(Uint8Array.from([...signature.slice(0, 7), 0x0b]))).toBeNull();
  });

  it('needs "BM" and 26 bytes for a BMP, and its pixel data to start inside the file', () => {
    expect(sniffFormat(bmpHeader(26, 26))).toBe('bmp');
    expect(sniffFormat(bmpHeader(25, 25))).toBeNull();
    const notB = bmpHeader(26, 26);
    notB[0] = 0x41;
    expect(sniffFormat(notB)).toBeNull();
    const notM = bmpHeader(26, 26);
    notM[1] = 0x4e;
    expect(sniffFormat(notM)).toBeNull();
    // The offset read as a 32-bit little-endian number: each of its four bytes counts.
    expect(inspectImage(bmpHeader(54, 54))).toMatchObject({ format: 'bmp' });
    expect(inspectImage(bmpHeader(54, 55))).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
    for (const offset of [0x100 + 54, 0x10000 + 54, 0x1000000 + 54]) {
      expect(inspectImage(bmpHeader(54, offset)), String(offset)).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
    }
  });

  it('finds a JPEG end marker only within the last 64 bytes, and a PNG IEND only where it belongs', async () => {
    const jpeg = await testJpeg(130);
    const padded = (n: number) => Uint8Array.from([...jpeg, ...new Uint8Array(n)]);
    expect(inspectImage(padded(62))).toMatchObject({ format: 'jpeg' });
    expect(inspectImage(padded(63))).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
    // A PNG signature with nothing after it has no IEND chunk.
    expect(inspectImage(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x49, 0x45, 0x4e, 0x44, 0, 0, 0, 0))).toMatchObject({ code: 'IMAGE_INVALID_FORMAT' });
  });
});
