import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateImage } from '../../src/image/validate-image.ts';
import { inspectImage } from '../../src/recognition/inspect-image.ts';
import type { ImageInfo } from '../../src/providers/provider.ts';
import { hostileImages } from '../support/hostile-images.ts';
import { testBmp } from '../support/image-bytes.ts';
import { testJpeg, testPng } from '../support/images.ts';

const info = (bytes: Uint8Array) => inspectImage(bytes) as ImageInfo;
const check = (bytes: Uint8Array, limits = { maxPixels: 40_000_000, minSide: 64, maxAspect: 8 }) => validateImage(bytes, info(bytes), limits);
const fixture = async (path: string) => new Uint8Array(await readFile(new URL(`../fixtures/cards/${path}`, import.meta.url)));

describe('validateImage', () => {
  it('accepts the card fixtures in every format, with their dimensions as the header states them', async () => {
    expect(await check(await fixture('ktp-09001/photo.jpg'))).toMatchObject({ format: 'jpeg', width: 1200, height: 900 });
    expect(await check(await fixture('ktp-09010/clean.png'))).toMatchObject({ format: 'png', width: 1000, height: 630 });
    expect(await check(await fixture('ktp-09185/bmp.bmp'))).toMatchObject({ format: 'bmp', width: 640, height: 403 });
    // EXIF-rotated: stored 630x1000; the limits do not care which way up it is.
    expect(await check(await fixture('ktp-09001/exif-rotated.jpg'))).toMatchObject({ width: 630, height: 1000 });
  });

  it.each([
    ['a side of exactly minSide passes', () => testPng(1, 64, 64), null],
    ['a side one under minSide is refused', () => testPng(2, 63, 100), 'the image is 63x100 pixels; each side must be at least 64'],
    ['exactly maxAspect passes', () => testJpeg(3, 512, 64), null],
    ['just over maxAspect is refused', () => testJpeg(4, 513, 64), 'the image is 513x64 pixels; its sides may differ at most 8:1'],
    ['a BMP is held to the same limits', async () => testBmp(5, 40, 90), 'the image is 40x90 pixels; each side must be at least 64'],
  ])('%s', async (_name, make, refusal) => {
    const result = await check(await make());
    if (refusal === null) expect(result).toMatchObject({ width: expect.any(Number) });
    else expect(result).toEqual({ kind: 'error', code: 'IMAGE_INVALID_SIZE', message: refusal, charged: false, retryable: false });
  });

  it('counts pixels against maxPixels, exactly maxPixels passing', async () => {
    const image = await testPng(6, 100, 80);
    expect(await check(image, { maxPixels: 8000, minSide: 64, maxAspect: 8 })).toMatchObject({ width: 100, height: 80 });
    expect(await check(image, { maxPixels: 7999, minSide: 64, maxAspect: 8 })).toMatchObject({
      code: 'IMAGE_INVALID_SIZE',
      message: 'the image is 100x80 pixels, more than the 7999 allowed',
    });
  });

  it('never allows more than 40,000,000 pixels, whatever the limit asked', async () => {
    const bomb = (await hostileImages(8)).find((file) => file.name.startsWith('PNG of 7000x7000'))!;
    expect(await check(bomb.bytes, { maxPixels: 1e12, minSide: 64, maxAspect: 8 })).toMatchObject({
      code: 'IMAGE_INVALID_SIZE',
      message: 'the image is 7000x7000 pixels, more than the 40000000 allowed',
    });
  });
});
