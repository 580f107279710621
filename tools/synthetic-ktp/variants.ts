/**
 * Image variants: encodings and degradations of the rendered card, done with sharp and, where
 * sharp has no operation for it (perspective warp, lighting, BMP), over raw pixel buffers.
 */
import sharp from 'sharp';
import { renderNotAKtp, renderTable } from './render.ts';
import type { Rng } from './rng.ts';

export const VARIANTS = [
  'clean',
  'jpeg-q60',
  'rotated',
  'blurred',
  'w640',
  'photo',
  'rot90',
  'rot180',
  'rot270',
  'bmp',
  'exif-rotated',
  'not-a-ktp',
] as const;
export type Variant = (typeof VARIANTS)[number];

/** The six degradations the accuracy benchmark reports on. */
export const BENCH_VARIANTS = ['clean', 'jpeg-q60', 'rotated', 'blurred', 'w640', 'photo'] as const satisfies readonly Variant[];

export type ImageExt = 'png' | 'jpg' | 'bmp';
export interface RenderedImage {
  bytes: Buffer;
  ext: ImageExt;
}

/** Raw RGB(A) pixels. */
export interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export function isVariant(s: string): s is Variant {
  return (VARIANTS as readonly string[]).includes(s);
}

export const png = (img: sharp.Sharp) => img.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
export const jpeg = (img: sharp.Sharp, quality: number) => img.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
export const fromRaw = (r: Raw) => sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });

/** A 24-bit uncompressed Windows BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes). */
export function encodeBmp(rgb: Raw): Buffer {
  const { width, height, channels, data } = rgb;
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  const imageSize = rowSize * height;
  const out = Buffer.alloc(54 + imageSize);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(54 + imageSize, 2);
  out.writeUInt32LE(0, 6);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(0, 30);
  out.writeUInt32LE(imageSize, 34);
  out.writeInt32LE(2835, 38);
  out.writeInt32LE(2835, 42);
  out.writeUInt32LE(0, 46);
  out.writeUInt32LE(0, 50);
  for (let y = 0; y < height; y++) {
    const src = (height - 1 - y) * width * channels;
    const dst = 54 + y * rowSize;
    for (let x = 0; x < width; x++) {
      const s = src + x * channels;
      const d = dst + x * 3;
      out[d] = data[s + 2]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s]!;
    }
  }
  return out;
}

/** Solves A x = b (n x n, Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

type Pt = readonly [number, number];

/** The homography taking each `from` point to the matching `to` point; returns a mapping function. */
export function homography(from: readonly Pt[], to: readonly Pt[]): (x: number, y: number) => Pt {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const [h0, h1, h2, h3, h4, h5, h6, h7] = solve(a, b) as [number, number, number, number, number, number, number, number];
  return (x, y) => {
    const w = h6 * x + h7 * y + 1;
    return [(h0 * x + h1 * y + h2) / w, (h3 * x + h4 * y + h5) / w];
  };
}

/** How a photo of the card on a table is taken (composeOnTable); TABLE_PHOTO is the `photo` variant's. */
export interface TableShot {
  /** The card's width as a share of the frame's, [min, max]. */
  cardShare: readonly [number, number];
  /** How far the card is turned on the table, in degrees either way. */
  maxTurnDegrees: number;
  /** Keystone: how much shorter the far side is than the near one, as a share of the card's height, [min, max]. */
  keystone: readonly [number, number];
  /**
   * Extra light at frame pixel (x, y), card pixel (u, v) (outside the card when off it): the
   * pixel is multiplied by `gain`, then pulled towards white by `lift` (0..1). None by default.
   */
  shade?: (x: number, y: number, u: number, v: number) => { gain: number; lift: number };
}

/** The `photo` variant's shot: the card fills most of the frame, seen slightly off-axis. */
export const TABLE_PHOTO: TableShot = { cardShare: [0.68, 0.8], maxTurnDegrees: 3, keystone: [0.02, 0.05] };

/**
 * The photo-like variant: the card, smaller, on a table, seen slightly off-axis, under uneven
 * light, with sensor noise, softened, as JPEG (composeOnTable with TABLE_PHOTO).
 */
export async function photoVariant(card: Raw, rng: Rng, frame: { width: number; height: number } = { width: 1200, height: 900 }): Promise<Buffer> {
  return jpeg(fromRaw(composeOnTable(card, rng, frame, TABLE_PHOTO)).blur(0.6), rng.int(78, 88));
}

/**
 * The card on a table in a `frame`-sized photo as raw RGB: placed and seen off-axis as `shot`
 * says (perspective warp by inverse mapping with bilinear sampling, rounded corners), its shadow
 * on the table, uneven light and sensor noise. Shared by the `photo` variant, the `phone` family
 * and the `hardphoto` family; the rng is drawn in the same order whatever the shot.
 */
export function composeOnTable(card: Raw, rng: Rng, frame: { width: number; height: number }, shot: TableShot): Raw {
  const OW = frame.width;
  const OH = frame.height;
  const cw = card.width;
  const ch = card.height;
  // Card size in the photo and its placement.
  const scale = rng.range(shot.cardShare[0], shot.cardShare[1]) * (OW / cw);
  const w = cw * scale;
  const h = ch * scale;
  const cx = OW / 2 + rng.range(-(OW - w) / 2 + 40, (OW - w) / 2 - 40);
  const cy = OH / 2 + rng.range(-(OH - h) / 2 + 40, (OH - h) / 2 - 40);
  const angle = (rng.range(-shot.maxTurnDegrees, shot.maxTurnDegrees) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const persp = rng.range(shot.keystone[0], shot.keystone[1]);
  const side = rng.chance(0.5) ? 1 : -1;
  const corners: Pt[] = (
    [
      [-w / 2, -h / 2],
      [w / 2, -h / 2],
      [w / 2, h / 2],
      [-w / 2, h / 2],
    ] as const
  ).map(([x, y], i) => {
    // Keystone: one side a little shorter than the other, plus corner jitter.
    const k = (i === 0 || i === 3 ? side : -side) * persp * h;
    const yy = y + (y < 0 ? k / 2 : -k / 2) + rng.range(-0.01, 0.01) * h;
    const xx = x + rng.range(-0.012, 0.012) * w;
    return [cx + xx * cos - yy * sin, cy + xx * sin + yy * cos] as const;
  });
  const src: Pt[] = [
    [0, 0],
    [cw, 0],
    [cw, ch],
    [0, ch],
  ];
  const toCard = homography(corners, src);

  // Table with the card's shadow.
  const table = renderTable(rng, OW, OH);
  const tctx = table.getContext('2d');
  tctx.save();
  tctx.shadowColor = 'rgba(0,0,0,0.55)';
  tctx.shadowBlur = 18;
  tctx.shadowOffsetX = rng.range(-8, 12);
  tctx.shadowOffsetY = rng.range(6, 16);
  tctx.fillStyle = 'rgba(30,30,30,1)';
  tctx.beginPath();
  // Inset, so that the shadow caster's square corners stay hidden behind the card's rounded ones.
  corners.forEach(([x, y], i) => {
    const sx = cx + (x - cx) * 0.96;
    const sy = cy + (y - cy) * 0.94;
    if (i === 0) tctx.moveTo(sx, sy);
    else tctx.lineTo(sx, sy);
  });
  tctx.closePath();
  tctx.fill();
  tctx.restore();
  const bg = tctx.getImageData(0, 0, OW, OH).data;

  const out = Buffer.alloc(OW * OH * 3);
  const cd = card.data;
  const cc = card.channels;
  const radius = (3.18 / 85.6) * cw;
  // Lighting: a linear gradient plus a soft highlight (a lamp or window).
  const lAngle = rng.range(0, Math.PI * 2);
  const lx = Math.cos(lAngle);
  const ly = Math.sin(lAngle);
  const lStrength = rng.range(0.18, 0.32);
  const hx = rng.range(0.2, 0.8) * OW;
  const hy = rng.range(0.2, 0.8) * OH;
  const hR = rng.range(250, 450);
  const hS = rng.range(0.05, 0.12);
  const tint = [rng.range(0.97, 1.04), 1, rng.range(0.94, 1.02)] as const;
  const noise = rng.range(2, 5);
  const nrng = rng.next;

  for (let y = 0; y < OH; y++) {
    for (let x = 0; x < OW; x++) {
      const o = (y * OW + x) * 3;
      const bo = (y * OW + x) * 4;
      let r = bg[bo]!;
      let g = bg[bo + 1]!;
      let b = bg[bo + 2]!;
      const [u, v] = toCard(x + 0.5, y + 0.5);
      if (u > -1 && v > -1 && u < cw + 1 && v < ch + 1) {
        // Coverage: soft 1-px edge, rounded corners.
        let cov = Math.min(1, u + 0.5, v + 0.5, cw - u + 0.5, ch - v + 0.5);
        const qx = u < radius ? radius - u : u > cw - radius ? u - (cw - radius) : 0;
        const qy = v < radius ? radius - v : v > ch - radius ? v - (ch - radius) : 0;
        if (qx > 0 && qy > 0) cov = Math.min(cov, radius - Math.hypot(qx, qy) + 0.5);
        if (cov > 0) {
          const su = Math.min(cw - 1.001, Math.max(0, u - 0.5));
          const sv = Math.min(ch - 1.001, Math.max(0, v - 0.5));
          const x0 = Math.floor(su);
          const y0 = Math.floor(sv);
          const fx = su - x0;
          const fy = sv - y0;
          const i00 = (y0 * cw + x0) * cc;
          const i10 = i00 + cc;
          const i01 = i00 + cw * cc;
          const i11 = i01 + cc;
          const s = (k: number) =>
            (cd[i00 + k]! * (1 - fx) + cd[i10 + k]! * fx) * (1 - fy) + (cd[i01 + k]! * (1 - fx) + cd[i11 + k]! * fx) * fy;
          r = r * (1 - cov) + s(0) * cov;
          g = g * (1 - cov) + s(1) * cov;
          b = b * (1 - cov) + s(2) * cov;
        }
      }
      const nx = (x / OW - 0.5) * lx + (y / OH - 0.5) * ly;
      const d2 = ((x - hx) ** 2 + (y - hy) ** 2) / (hR * hR);
      const light = 0.97 - lStrength / 2 + lStrength * (nx + 0.5) + hS * Math.exp(-d2);
      const n = (nrng() + nrng() - 1) * noise;
      if (shot.shade) {
        const { gain, lift } = shot.shade(x, y, u, v);
        const lit = (c: number) => {
          const d = c * gain;
          return d + (255 - d) * lift;
        };
        out[o] = clamp(lit(r * light * tint[0]) + n);
        out[o + 1] = clamp(lit(g * light * tint[1]) + n);
        out[o + 2] = clamp(lit(b * light * tint[2]) + n);
      } else {
        out[o] = clamp(r * light * tint[0] + n);
        out[o + 1] = clamp(g * light * tint[1] + n);
        out[o + 2] = clamp(b * light * tint[2] + n);
      }
    }
  }
  return { data: out, width: OW, height: OH, channels: 3 };
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Produces one variant from the clean card's RGBA pixels. */
export async function renderVariant(card: Raw, variant: Variant, rng: Rng): Promise<RenderedImage> {
  const base = () => fromRaw(card).removeAlpha();
  switch (variant) {
    case 'clean':
      return { bytes: await png(base()), ext: 'png' };
    case 'jpeg-q60':
      return { bytes: await jpeg(base(), 60), ext: 'jpg' };
    case 'rotated': {
      const deg = rng.range(2, 4) * (rng.chance(0.5) ? 1 : -1);
      const bytes = await jpeg(sharp(await base().rotate(deg, { background: '#ffffff' }).png().toBuffer()), 92);
      return { bytes, ext: 'jpg' };
    }
    case 'blurred':
      return { bytes: await jpeg(base().blur(rng.range(1.6, 2.2)), 92), ext: 'jpg' };
    case 'w640':
      return { bytes: await jpeg(base().resize({ width: 640 }), 90), ext: 'jpg' };
    case 'photo':
      return { bytes: await photoVariant(card, rng), ext: 'jpg' };
    case 'rot90':
      return { bytes: await jpeg(base().rotate(90), 90), ext: 'jpg' };
    case 'rot180':
      return { bytes: await jpeg(base().rotate(180), 90), ext: 'jpg' };
    case 'rot270':
      return { bytes: await jpeg(base().rotate(270), 90), ext: 'jpg' };
    case 'bmp': {
      const { data, info } = await base().resize({ width: 640 }).raw().toBuffer({ resolveWithObject: true });
      return { bytes: encodeBmp({ data, width: info.width, height: info.height, channels: 3 }), ext: 'bmp' };
    }
    case 'exif-rotated': {
      // Stored turned 90° anticlockwise; EXIF orientation 6 ("rotate 90° clockwise to view") makes it upright.
      return { bytes: await jpeg(base().rotate(-90).withMetadata({ orientation: 6 }), 90), ext: 'jpg' };
    }
    case 'not-a-ktp': {
      const canvas = renderNotAKtp(rng);
      const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const raw: Raw = { data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: canvas.width, height: canvas.height, channels: 4 };
      return { bytes: await jpeg(fromRaw(raw).removeAlpha(), 85), ext: 'jpg' };
    }
  }
}
