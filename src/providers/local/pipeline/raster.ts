import type { Raster } from '../../../image/raster.ts';

/**
 * The pipeline's steps are plain functions over a `Raster` (tightly packed 8-bit RGB, shared
 * with the BMP reader), so each can be tested without sharp or the models.
 */
export type { Raster };

export function createRaster(width: number, height: number, fill = 0): Raster {
  const data = new Uint8Array(width * height * 3);
  if (fill !== 0) data.fill(fill);
  return { width, height, data };
}

/** Turned clockwise by a quarter turn, `turns` times (0-3). Exact, no resampling. */
export function rotateQuarter(src: Raster, turns: number): Raster {
  const t = ((turns % 4) + 4) % 4;
  if (t === 0) return src;
  const { width: w, height: h, data } = src;
  const out = t === 2 ? createRaster(w, h) : createRaster(h, w);
  const ow = out.width;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number;
      let ny: number;
      if (t === 1) {
        nx = h - 1 - y;
        ny = x;
      } else if (t === 2) {
        nx = w - 1 - x;
        ny = h - 1 - y;
      } else {
        nx = y;
        ny = w - 1 - x;
      }
      const si = (y * w + x) * 3;
      const di = (ny * ow + nx) * 3;
      out.data[di] = data[si]!;
      out.data[di + 1] = data[si + 1]!;
      out.data[di + 2] = data[si + 2]!;
    }
  }
  return out;
}

/** An axis-aligned piece, clamped to the image. */
export function crop(src: Raster, x: number, y: number, width: number, height: number): Raster {
  const x0 = Math.max(0, Math.min(src.width - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(src.height - 1, Math.floor(y)));
  const x1 = Math.max(x0 + 1, Math.min(src.width, Math.ceil(x + width)));
  const y1 = Math.max(y0 + 1, Math.min(src.height, Math.ceil(y + height)));
  const out = createRaster(x1 - x0, y1 - y0);
  const rowBytes = (x1 - x0) * 3;
  for (let row = y0; row < y1; row++) {
    const s = (row * src.width + x0) * 3;
    out.data.set(src.data.subarray(s, s + rowBytes), (row - y0) * rowBytes);
  }
  return out;
}

/** Bilinear sample of channel `c` at a sub-pixel position; `fill` outside the image. */
export function sample(src: Raster, fx: number, fy: number, c: number, fill: number): number {
  const { width: w, height: h, data } = src;
  if (fx < -0.5 || fy < -0.5 || fx > w - 0.5 || fy > h - 0.5) return fill;
  const x = Math.min(Math.max(fx, 0), w - 1);
  const y = Math.min(Math.max(fy, 0), h - 1);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const ax = x - x0;
  const ay = y - y0;
  const p00 = data[(y0 * w + x0) * 3 + c]!;
  const p10 = data[(y0 * w + x1) * 3 + c]!;
  const p01 = data[(y1 * w + x0) * 3 + c]!;
  const p11 = data[(y1 * w + x1) * 3 + c]!;
  return (p00 * (1 - ax) + p10 * ax) * (1 - ay) + (p01 * (1 - ax) + p11 * ax) * ay;
}

/**
 * Resized with area averaging when shrinking (bilinear alone aliases the guilloche into noise the
 * detector reads as text) and bilinear when growing.
 */
export function resize(src: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height);
  const sx = src.width / width;
  const sy = src.height / height;
  if (sx <= 1 && sy <= 1) {
    for (let y = 0; y < height; y++) {
      const fy = (y + 0.5) * sy - 0.5;
      for (let x = 0; x < width; x++) {
        const fx = (x + 0.5) * sx - 0.5;
        const d = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) out.data[d + c] = Math.round(sample(src, fx, fy, c, 0));
      }
    }
    return out;
  }
  const sw = src.width;
  for (let y = 0; y < height; y++) {
    const ya = y * sy;
    const yb = Math.min(src.height, (y + 1) * sy);
    for (let x = 0; x < width; x++) {
      const xa = x * sx;
      const xb = Math.min(sw, (x + 1) * sx);
      let r = 0;
      let g = 0;
      let b = 0;
      let wsum = 0;
      for (let yy = Math.floor(ya); yy < Math.ceil(yb); yy++) {
        const wy = Math.min(yy + 1, yb) - Math.max(yy, ya);
        if (wy <= 0) continue;
        for (let xx = Math.floor(xa); xx < Math.ceil(xb); xx++) {
          const wx = Math.min(xx + 1, xb) - Math.max(xx, xa);
          if (wx <= 0) continue;
          const wgt = wx * wy;
          const i = (yy * sw + xx) * 3;
          r += src.data[i]! * wgt;
          g += src.data[i + 1]! * wgt;
          b += src.data[i + 2]! * wgt;
          wsum += wgt;
        }
      }
      const d = (y * width + x) * 3;
      out.data[d] = Math.round(r / wsum);
      out.data[d + 1] = Math.round(g / wsum);
      out.data[d + 2] = Math.round(b / wsum);
    }
  }
  return out;
}

/**
 * Turned about the centre so that text lines running at `degrees` (image coordinates, y down:
 * positive means falling to the right) come out level. Same size; uncovered corners are white,
 * like the paper around a scanned card, so the detector sees no edge there.
 */
export function levelLines(src: Raster, degrees: number): Raster {
  const out = createRaster(src.width, src.height);
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (src.width - 1) / 2;
  const cy = (src.height - 1) / 2;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      // Inverse map: where in the source does this output pixel come from.
      const dx = x - cx;
      const dy = y - cy;
      const fx = cx + dx * cos - dy * sin;
      const fy = cy + dx * sin + dy * cos;
      const d = (y * src.width + x) * 3;
      for (let c = 0; c < 3; c++) out.data[d + c] = Math.round(sample(src, fx, fy, c, 255));
    }
  }
  return out;
}
