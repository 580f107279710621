import { CONTRACT_MESSAGES, MAX_IMAGE_BYTES } from '../contract.ts';
import { ocrError, type ErrorOutcome } from '../outcome.ts';
import type { ImageFormat, ImageInfo } from '../providers/provider.ts';

/**
 * Decide from the bytes alone what an upload is. The filename and the client's MIME type are
 * not trusted: a `.jpg` that is really a PDF would otherwise cost a paid FAIL.
 *
 * Returns the image's format, or the `ErrorOutcome` the upstream itself would have answered
 * (and charged nothing for), so that bad input never reaches it.
 */
export function inspectImage(bytes: Uint8Array, maxBytes = MAX_IMAGE_BYTES): ImageInfo | ErrorOutcome {
  if (bytes.byteLength === 0) {
    return ocrError('INVALID_REQUEST', 'the image is empty');
  }
  if (bytes.byteLength > maxBytes) {
    return ocrError('IMAGE_INVALID_SIZE', `${CONTRACT_MESSAGES.IMAGE_INVALID_SIZE} (${bytes.byteLength} bytes, limit ${maxBytes})`);
  }
  const format = sniffFormat(bytes);
  if (format === null) {
    return ocrError('IMAGE_INVALID_FORMAT', `${CONTRACT_MESSAGES.IMAGE_INVALID_FORMAT}: expected jpeg, png or bmp`);
  }
  if (!looksComplete(bytes, format)) {
    return ocrError('IMAGE_INVALID_FORMAT', `${CONTRACT_MESSAGES.IMAGE_INVALID_FORMAT}: the ${format} file is truncated`);
  }
  return { format, byteLength: bytes.byteLength };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.byteLength >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.byteLength >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  // BMP: "BM", then a BITMAPINFOHEADER-family header whose size is one of the known ones.
  if (bytes.byteLength >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d) {
    const dibHeaderSize = readUint32LE(bytes, 14);
    if ([12, 40, 52, 56, 64, 108, 124].includes(dibHeaderSize)) return 'bmp';
  }
  return null;
}

/**
 * A cheap check for the commonest broken upload: a file cut off in transit. Each format has a
 * marker at its end (JPEG EOI, PNG IEND) or declares its own length (BMP); a full decode would
 * cost far more than this and belongs to the provider.
 */
function looksComplete(bytes: Uint8Array, format: ImageFormat): boolean {
  switch (format) {
    case 'jpeg':
      // Some encoders pad after EOI, so look for it in the last few bytes rather than at the very end.
      return lastIndexOfPair(bytes, 0xff, 0xd9, 64) !== -1;
    case 'png':
      return endsWithIend(bytes);
    case 'bmp':
      return bytes.byteLength >= readUint32LE(bytes, 10); // the pixel data offset lies inside the file
  }
}

function endsWithIend(bytes: Uint8Array): boolean {
  const iend = [0x49, 0x45, 0x4e, 0x44];
  const start = bytes.byteLength - 8;
  return start > 8 && iend.every((b, i) => bytes[start + i] === b);
}

function lastIndexOfPair(bytes: Uint8Array, first: number, second: number, window: number): number {
  for (let i = bytes.byteLength - 2; i >= Math.max(0, bytes.byteLength - window); i--) {
    if (bytes[i] === first && bytes[i + 1] === second) return i;
  }
  return -1;
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0;
}

export function isErrorOutcome(value: ImageInfo | ErrorOutcome): value is ErrorOutcome {
  return 'kind' in value;
}
