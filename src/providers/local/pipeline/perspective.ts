import { createRaster, sample, type Raster } from './raster.ts';
import type { Point } from './geometry.ts';

/** 3×3 homography, row-major, h[8] = 1. */
export type Homography = number[];

/**
 * The homography taking the four `from` points onto the four `to` points (direct linear
 * transform, solved by Gaussian elimination: eight unknowns, no library needed).
 */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  const m: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    m.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    m.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('degenerate quadrilateral');
    for (let k = col; k < 9; k++) m[col]![k]! /= p;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f === 0) continue;
      for (let k = col; k < 9; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  return [...m.map((row) => row[8]!), 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = h[6]! * p[0] + h[7]! * p[1] + h[8]!;
  return [(h[0]! * p[0] + h[1]! * p[1] + h[2]!) / w, (h[3]! * p[0] + h[4]! * p[1] + h[5]!) / w];
}

/**
 * The quadrilateral `quad` (top-left, top-right, bottom-right, bottom-left in the source) pulled
 * onto a `width` × `height` rectangle. Each output pixel is sampled from the source through the
 * inverse mapping, so there are no holes.
 */
export function warpQuad(src: Raster, quad: readonly Point[], width: number, height: number): Raster {
  const corners: Point[] = [
    [0, 0],
    [width - 1, 0],
    [width - 1, height - 1],
    [0, height - 1],
  ];
  const inverse = homography(corners, quad);
  const out = createRaster(width, height);
  // One bilinear sample per output pixel: a caller shrinking by more than about 1.2x first
  // area-averages the source (warpCard, canonical.ts), or thin strokes fall between samples.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = applyHomography(inverse, [x, y]);
      const d = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out.data[d + c] = Math.round(sample(src, sx, sy, c, 255));
    }
  }
  return out;
}
