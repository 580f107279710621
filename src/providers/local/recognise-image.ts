/**
 * One image through the whole offline engine: decode, card finding and orientation, OCR, card
 * reading, and the boxes of what was read mapped back onto the image the client sent. Runs in an
 * OCR worker (worker.ts) and, for the accuracy benchmark, in its own thread.
 */
import sharp from 'sharp';
import type { Box, FieldBoxes, RawKtpFields } from '../../ktp/raw-fields.ts';
import type { ImageFormat } from '../provider.ts';
import { readPage } from './engine/read-page.ts';
import type { Models } from './engine/models.ts';
import { decodeImage, UndecodableImageError } from './pipeline/decode.ts';
import type { Point } from './pipeline/geometry.ts';
import type { JobResult } from './protocol.ts';
import { readCard } from './read-card.ts';

/** The image's size as the client sees it: after its EXIF orientation, before any shrinking. */
async function sourceSize(bytes: Uint8Array, format: ImageFormat): Promise<{ width: number; height: number } | null> {
  if (format === 'bmp') {
    if (bytes.length < 26) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) return null;
    // Orientations 5 to 8 turn the image by a quarter: width and height trade places.
    return (meta.orientation ?? 1) >= 5 ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

/** A page box mapped through `toSource`, as the integer axis-aligned box around its four corners, clamped to the image. */
function mapBox(box: Box, toSource: (p: Point) => Point, size: { width: number; height: number }): Box | null {
  const page: Point[] = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x + box.width, box.y + box.height],
    [box.x, box.y + box.height],
  ];
  const corners = page.map(toSource);
  if (corners.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) return null;
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1]))));
  const x1 = Math.min(size.width, Math.ceil(Math.max(...corners.map((c) => c[0]))));
  const y1 = Math.min(size.height, Math.ceil(Math.max(...corners.map((c) => c[1]))));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export interface RecognisedImage {
  result: JobResult;
  /** Each field as the glyphs read it, before any vocabulary or table (benchmark use only). */
  asRead?: RawKtpFields;
}

export async function recogniseImage(models: Models, bytes: Uint8Array, format: ImageFormat): Promise<RecognisedImage> {
  let decoded;
  try {
    decoded = await decodeImage(bytes, format);
  } catch (error) {
    if (error instanceof UndecodableImageError) return { result: { kind: 'undecodable', message: error.message } };
    throw error;
  }
  const size = (await sourceSize(bytes, format)) ?? { width: decoded.width, height: decoded.height };
  const { page, toDecoded } = await readPage(models, decoded);
  const card = readCard(page);
  if (card.kind === 'not-a-ktp') return { result: { kind: 'not-a-ktp', looksLike: card.looksLike } };
  const sx = size.width / decoded.width;
  const sy = size.height / decoded.height;
  const toSource = (p: Point): Point => {
    const [x, y] = toDecoded(p);
    return [x * sx, y * sy];
  };
  const boxes: FieldBoxes = {};
  for (const [key, box] of Object.entries(card.boxes) as [keyof FieldBoxes, Box][]) {
    const mapped = mapBox(box, toSource, size);
    if (mapped) boxes[key] = mapped;
  }
  return { result: { kind: 'identity', fields: card.fields, confidence: card.confidence, boxes }, asRead: card.asRead };
}
