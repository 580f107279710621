import { constants, createDeflate, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { testPdf } from './image-bytes.ts';
import { testJpeg, testPng } from './images.ts';

/**
 * Files an attacker (or a broken client) sends instead of a photo, generated here so that no
 * binary is committed. Each passes the cheap byte checks (magic bytes, end marker, a BMP's
 * declared length) and so used to reach the paid API; each must now be refused before any
 * provider, for free, with the code given.
 *
 * `seed` makes every file's bytes distinct between suites that share a cache or a fake.
 */
export interface HostileImage {
  name: string;
  bytes: Uint8Array;
  /** The refusal every provider answers. */
  code: 'IMAGE_INVALID_FORMAT' | 'IMAGE_INVALID_SIZE';
}

export async function hostileImages(seed = 0): Promise<HostileImage[]> {
  const png = await testPng(9100 + seed, 96, 64);
  const jpeg = await testJpeg(9200 + seed, 96, 64);
  const tag = new TextEncoder().encode(`seed ${seed}`);
  const list: HostileImage[] = [
    // PNG
    { name: 'PNG with a corrupt IDAT (CRC fixed up, so only decoding finds it)', bytes: corruptIdat(png), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG signature + garbage + IEND', bytes: pngOf([chunk('tEXt', tag), chunk('JUNK', noise(seed, 600)), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG of 0x0 pixels', bytes: pngOf([ihdr(0, 0, 8, 2), chunk('tEXt', tag), chunk('IDAT', deflateSync(new Uint8Array(1))), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG bomb: 20000x20000 of zeros in 400 KB', bytes: await pngBomb(20_000, 20_000, 8, 0, tag), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG bomb: 60000x60000, 1 bit, in 450 KB', bytes: await pngBomb(60_000, 60_000, 1, 0, tag), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG of 39,000,000x1 pixels', bytes: await pngBomb(39_000_000, 1, 1, 0, tag), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG of 7000x7000 (49 MP, over the 40 MP limit)', bytes: await pngBomb(7_000, 7_000, 8, 0, tag), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG of 32x20 pixels (a side under 64)', bytes: await testPng(9300 + seed, 32, 20), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG of 900x64 (over 8:1)', bytes: await pngBomb(900, 64, 8, 2, tag), code: 'IMAGE_INVALID_SIZE' },
    { name: 'PNG with IHDR and IEND but no IDAT', bytes: pngOf([ihdr(96, 64, 8, 2), chunk('tEXt', tag), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG whose IDAT holds too few rows', bytes: pngOf([ihdr(96, 64, 8, 2), chunk('tEXt', tag), chunk('IDAT', deflateSync(new Uint8Array(10 * 289))), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG with bit depth 7', bytes: pngOf([ihdr(96, 64, 7, 2), chunk('tEXt', tag), chunk('IDAT', deflateSync(new Uint8Array(64 * 289))), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG with an IDAT that is not zlib', bytes: pngOf([ihdr(96, 64, 8, 2), chunk('tEXt', tag), chunk('IDAT', noise(seed + 1, 4000)), chunk('IEND')]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'PNG cut in half with IEND glued back on', bytes: concat(png.subarray(0, png.byteLength >> 1), chunk('IEND')), code: 'IMAGE_INVALID_FORMAT' },
    // JPEG
    { name: 'JPEG: SOI + a PDF + EOI', bytes: concat([0xff, 0xd8, 0xff, 0xe0], testPdf(seed), [0xff, 0xd9]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'JPEG of 110 bytes claiming 65000x65000', bytes: jpegClaiming(65_000, 65_000, seed, 110), code: 'IMAGE_INVALID_SIZE' },
    { name: 'JPEG claiming 0x0', bytes: jpegClaiming(0, 0, seed), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'JPEG claiming 65000x1', bytes: jpegClaiming(65_000, 1, seed), code: 'IMAGE_INVALID_SIZE' },
    { name: 'JPEG with headers and no scan', bytes: jpegHeadersOnly(jpeg), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'JPEG cut in half with EOI glued back on', bytes: concat(jpeg.subarray(0, jpeg.byteLength >> 1), [0xff, 0xd9]), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'JPEG of 32x20 pixels', bytes: await testJpeg(9400 + seed, 32, 20), code: 'IMAGE_INVALID_SIZE' },
    { name: 'JPEG of 1000x100 (10:1)', bytes: await jpegOf(1000, 100, seed), code: 'IMAGE_INVALID_SIZE' },
    { name: 'JPEG magic + random bytes + EOI', bytes: concat([0xff, 0xd8, 0xff, 0xdb], noise(seed + 2, 3000), [0xff, 0xd9]), code: 'IMAGE_INVALID_FORMAT' },
    // BMP
    { name: 'BMP claiming 50000x50000', bytes: bmpOf({ width: 50_000, height: 50_000, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP claiming 0x0', bytes: bmpOf({ width: 0, height: 0, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with a negative width', bytes: bmpOf({ width: -96, height: 64, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with height INT32_MIN', bytes: bmpOf({ width: 96, height: -0x80000000, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with width INT32_MIN', bytes: bmpOf({ width: -0x80000000, height: 64, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP compressed with RLE8', bytes: bmpOf({ width: 96, height: 64, bitCount: 8, compression: 1, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with an 8-bit palette', bytes: bmpOf({ width: 96, height: 64, bitCount: 8, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP of 16 bits', bytes: bmpOf({ width: 96, height: 64, bitCount: 16, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with bit fields that are not the standard masks', bytes: bmpOf({ width: 96, height: 64, bitCount: 32, compression: 3, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with an OS/2 12-byte header', bytes: bmpOf({ width: 96, height: 64, headerSize: 12, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP with 2 planes', bytes: bmpOf({ width: 96, height: 64, planes: 2, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP whose pixel rows stop short', bytes: bmpOf({ width: 400, height: 300, rows: 150, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP whose pixel offset points into its header', bytes: bmpOf({ width: 96, height: 64, pixelOffset: 20, seed }), code: 'IMAGE_INVALID_FORMAT' },
    { name: 'BMP of 32x20 pixels', bytes: bmpOf({ width: 32, height: 20, seed }), code: 'IMAGE_INVALID_SIZE' },
    { name: 'BMP of 1000x64 (over 8:1)', bytes: bmpOf({ width: 1000, height: 64, seed }), code: 'IMAGE_INVALID_SIZE' },
    { name: 'BMP of 40000x8 claiming its rows (a strip)', bytes: bmpOf({ width: 40_000, height: 8, seed }), code: 'IMAGE_INVALID_SIZE' },
  ];
  return list;
}

// --- PNG -------------------------------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngOf(chunks: Uint8Array[]): Uint8Array {
  return concat(PNG_SIGNATURE, ...chunks);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data[8] = bitDepth;
  data[9] = colourType;
  return chunk('IHDR', data);
}

function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

/**
 * A real decompression bomb: a valid PNG whose IDAT inflates to every row of the claimed canvas
 * (all zeros). Z_RLE compresses zeros at deflate's ~1000:1 bound in a fraction of a second.
 */
async function pngBomb(width: number, height: number, bitDepth: 1 | 8 | 16, colourType: 0 | 2, tag: Uint8Array): Promise<Uint8Array> {
  const channels = colourType === 2 ? 3 : 1;
  const rowBytes = 1 + Math.ceil((width * channels * bitDepth) / 8);
  const idat = await deflateZeros(rowBytes * height);
  return pngOf([ihdr(width, height, bitDepth, colourType), chunk('tEXt', tag), chunk('IDAT', idat), chunk('IEND')]);
}

/** Deflated zeros by length: the same canvas is asked for by many suites in one process. */
const deflatedZeros = new Map<number, Promise<Uint8Array>>();

/** Zeros deflated in slices (the whole canvas would be hundreds of megabytes), with Z_RLE: ~0.2 s per 400 MB. */
function deflateZeros(total: number): Promise<Uint8Array> {
  let deflated = deflatedZeros.get(total);
  if (!deflated) {
    deflated = deflateZerosNow(total);
    deflatedZeros.set(total, deflated);
  }
  return deflated;
}

async function deflateZerosNow(total: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9, memLevel: 9, strategy: constants.Z_RLE });
  const parts: Uint8Array[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const zeros = new Uint8Array(Math.min(8 << 20, total));
  for (let done = 0; done < total; done += zeros.byteLength) {
    const slice = zeros.subarray(0, Math.min(zeros.byteLength, total - done));
    if (!deflate.write(slice)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return concat(...parts);
}

/** The same PNG with a few bytes inside its first IDAT's compressed data flipped, and the CRC recomputed. */
function corruptIdat(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  for (let at = 8; at < out.byteLength; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(out.subarray(at + 4, at + 8));
    if (type === 'IDAT') {
      for (let i = 0; i < 32; i++) out[at + 8 + Math.floor(length / 2) + i]! ^= 0x5a;
      view.setUint32(at + 8 + length, crc32(out.subarray(at + 4, at + 8 + length)));
      return out;
    }
    at += 12 + length;
  }
  throw new Error('no IDAT');
}

/** A valid PNG of zeros (black) of any size, made cheaply: for memory benchmarks of large, legitimate images. */
export function blackPng(width: number, height: number, bitDepth: 8 | 16, text: string): Promise<Uint8Array> {
  return pngBomb(width, height, bitDepth, 2, new TextEncoder().encode(text));
}

/** The same PNG with a tEXt chunk added before IEND: other bytes, the same pixels. */
export function pngWithText(png: Uint8Array, text: string): Uint8Array {
  const iend = png.byteLength - 12;
  return concat(png.subarray(0, iend), chunk('tEXt', new TextEncoder().encode(`Comment\u0000${text}`)), png.subarray(iend));
}

// --- JPEG ------------------------------------------------------------------------------------

/** SOI, a comment, a baseline SOF0 claiming the size, a scan header, a few bytes, EOI: padded to `bytes`. */
function jpegClaiming(width: number, height: number, seed: number, bytes = 110): Uint8Array {
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00];
  const sos = [0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00];
  const fixed = 2 + 4 + sof.length + sos.length + 4 + 2;
  const comment = new TextEncoder().encode(`seed ${seed} `.padEnd(Math.max(1, bytes - fixed), '.'));
  const com = [0xff, 0xfe, (comment.byteLength + 2) >> 8, (comment.byteLength + 2) & 0xff];
  return concat([0xff, 0xd8], com, comment, sof, sos, [0x12, 0x34, 0x56, 0x78], [0xff, 0xd9]);
}

/** Everything of a real JPEG up to its scan, then EOI: tables and a frame, but no image data. */
function jpegHeadersOnly(jpeg: Uint8Array): Uint8Array {
  for (let i = 2; i < jpeg.byteLength - 1; i++) {
    if (jpeg[i] === 0xff && jpeg[i + 1] === 0xda) return concat(jpeg.subarray(0, i), [0xff, 0xd9]);
  }
  throw new Error('no SOS');
}

async function jpegOf(width: number, height: number, seed: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp(await testPng(9500 + seed, width, height)).jpeg({ quality: 80 }).toBuffer());
}

// --- BMP -------------------------------------------------------------------------------------

interface BmpOptions {
  width: number;
  height: number;
  seed: number;
  bitCount?: number;
  compression?: number;
  headerSize?: number;
  planes?: number;
  pixelOffset?: number;
  /** Rows of pixel data actually written; default what the header claims, within 2 MiB. */
  rows?: number;
}

function bmpOf(options: BmpOptions): Uint8Array {
  const bitCount = options.bitCount ?? 24;
  const headerSize = options.headerSize ?? 40;
  const stride = Math.ceil((Math.abs(options.width) * Math.max(1, bitCount / 8)) / 4) * 4;
  const claimedRows = Math.abs(options.height);
  const rows = Math.min(options.rows ?? claimedRows, Math.floor((1 << 20) / Math.max(1, stride)));
  const offset = 14 + Math.max(headerSize, 40) + 12;
  const out = new Uint8Array(offset + stride * rows);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // B
  out[1] = 0x4d; // M
  view.setUint32(2, out.byteLength, true);
  view.setUint32(10, options.pixelOffset ?? offset, true);
  view.setUint32(14, headerSize, true);
  view.setInt32(18, options.width, true);
  view.setInt32(22, options.height, true);
  view.setUint16(26, options.planes ?? 1, true);
  view.setUint16(28, bitCount, true);
  view.setUint32(30, options.compression ?? 0, true);
  // Bit-field masks after the header (used only with compression 3): deliberately not the standard ones.
  view.setUint32(54, 0x000000ff, true);
  view.setUint32(58, 0x0000ff00, true);
  view.setUint32(62, 0x00ff0000, true);
  out.set(noise(options.seed, out.byteLength - offset), offset);
  return out;
}

// --- bytes -----------------------------------------------------------------------------------

function noise(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of arrays) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

