import { resize, type Raster } from './raster.ts';

export interface PhotoBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The search runs on a thumbnail: text strokes blur into the paper there, a photo stays a block. */
const THUMB_WIDTH = 200;
/** How far from the card's own colour (sum of channel differences) a thumbnail pixel must be to count as "not paper". */
const OFF_PAPER = 90;

/**
 * The holder's photo on an upright card image: the largest solid block that is clearly not the
 * card's paper, standing (taller than wide, within the proportions of a pass photo), in the right
 * half of the card, and mostly filled (a photo is a rectangle; text lines and the signature are
 * thin). Found from the pixels, whatever template drew the card; null when there is none.
 */
export function findPhoto(image: Raster): PhotoBox | null {
  const scale = THUMB_WIDTH / image.width;
  const w = THUMB_WIDTH;
  const h = Math.max(1, Math.round(image.height * scale));
  const thumb = resize(image, w, h);
  const paper = [0, 1, 2].map((c) => {
    const values: number[] = [];
    for (let i = c; i < thumb.data.length; i += 9) values.push(thumb.data[i]!);
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  });
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const d = Math.abs(thumb.data[i * 3]! - paper[0]!) + Math.abs(thumb.data[i * 3 + 1]! - paper[1]!) + Math.abs(thumb.data[i * 3 + 2]! - paper[2]!);
    mask[i] = d > OFF_PAPER ? 1 : 0;
  }
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let best: PhotoBox | null = null;
  let bestArea = 0;
  let id = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    id++;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    let count = 0;
    let minX = w;
    let minY = h;
    let maxX = -1;
    let maxY = -1;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const around = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of around) {
        if (q >= 0 && mask[q] === 1 && labels[q] === 0) {
          labels[q] = id;
          stack[top++] = q;
        }
      }
    }
    const bw = maxX - minX + 1;
    const bh = maxY - minY + 1;
    const fill = count / (bw * bh);
    const centreX = (minX + maxX + 1) / 2;
    const standing = bh / bw >= 0.9 && bh / bw <= 2.2;
    const sized = bw >= 0.08 * w && bw <= 0.4 * w && bh >= 0.2 * h && bh <= 0.75 * h;
    if (!standing || !sized || fill < 0.5 || centreX < 0.55 * w) continue;
    if (count > bestArea) {
      bestArea = count;
      best = { x: minX / scale, y: minY / scale, width: bw / scale, height: bh / scale };
    }
  }
  return best;
}
