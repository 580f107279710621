/**
 * Draws the card (and the other canvases the variants need) with @napi-rs/canvas.
 * Fonts are loaded from ./fonts (bundled), never from the system.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { fileURLToPath } from 'node:url';
import type { CardData } from './truth.ts';
import type { Rng } from './rng.ts';

export const CARD_WIDTH = 1000;
export const CARD_HEIGHT = 630;

const SANS = 'KtpSans';
const SANS_BOLD = 'KtpSansBold';
const OCRA = 'KtpOcrA';

let fontsLoaded = false;
export function loadFonts(): void {
  if (fontsLoaded) return;
  const dir = fileURLToPath(new URL('./fonts/', import.meta.url));
  const ok = [
    GlobalFonts.registerFromPath(`${dir}LiberationSans-Regular.ttf`, SANS),
    GlobalFonts.registerFromPath(`${dir}LiberationSans-Bold.ttf`, SANS_BOLD),
    GlobalFonts.registerFromPath(`${dir}OCRA.ttf`, OCRA),
  ];
  if (ok.some((k) => !k)) throw new Error(`synthetic-ktp: could not load the bundled fonts from ${dir}`);
  fontsLoaded = true;
}

const font = (family: string, px: number) => `${px.toFixed(1)}px ${family}`;

/** Draws text; squeezes it horizontally when it would run past maxWidth. */
function drawText(ctx: SKRSContext2D, text: string, x: number, y: number, maxWidth?: number): number {
  const w = ctx.measureText(text).width;
  if (maxWidth !== undefined && w > maxWidth) {
    ctx.save();
    ctx.translate(x, y);
    ctx.scale(maxWidth / w, 1);
    ctx.fillText(text, 0, 0);
    ctx.restore();
    return maxWidth;
  }
  ctx.fillText(text, x, y);
  return w;
}

/** Greedy word wrap into at most maxLines lines (the last one may then be squeezed). */
function wrap(ctx: SKRSContext2D, text: string, maxWidth: number, maxLines: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(candidate).width > maxWidth && lines.length < maxLines - 1) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

function background(ctx: SKRSContext2D, rng: Rng, w: number, h: number): void {
  // The base colour: a diagonal gradient with a lighter centre, computed per pixel without dithering
  // (Skia dithers its gradients, which makes PNGs several times larger).
  const hue = rng.range(-0.03, 0.03);
  const c0 = [214, 233, 245];
  const c1 = [186, 214, 234];
  const img = ctx.createImageData(w, h);
  const d = img.data;
  const mx = w * 0.45;
  const my = h * 0.55;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = (x / w + y / h) / 2 + hue;
      const rr = Math.hypot(x - mx, y - my) / (w * 0.55);
      const glow = rr < 1 ? 0.35 * (1 - rr) : 0;
      const o = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) {
        const base = c0[k]! + (c1[k]! - c0[k]!) * t;
        d[o + k] = Math.round((base + (255 - base) * glow) / 2) * 2;
      }
      d[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);

  // Guilloche: families of interleaved sine waves.
  ctx.lineWidth = 0.8;
  for (let fam = 0; fam < 2; fam++) {
    const f = rng.range(0.006, 0.014);
    const amp = rng.range(10, 26);
    const phase0 = rng.range(0, Math.PI * 2);
    const spacing = rng.range(20, 30);
    ctx.strokeStyle = `rgba(${70 + fam * 20}, ${120 + fam * 15}, ${175 + fam * 10}, ${rng.range(0.14, 0.22)})`;
    for (let y0 = -40; y0 < h + 40; y0 += spacing) {
      ctx.beginPath();
      for (let x = 0; x <= w; x += 6) {
        const y = y0 + amp * Math.sin(x * f + phase0 + y0 * 0.02) + (amp / 3) * Math.sin(x * f * 3.1 + fam);
        if (x === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  }
  // Rosettes (hypotrochoids) in two corners.
  for (const [cx, cy, R] of [
    [w * 0.1, h * 0.12, 70],
    [w * 0.62, h * 0.78, 110],
  ] as const) {
    ctx.strokeStyle = `rgba(60, 110, 170, ${rng.range(0.1, 0.16)})`;
    ctx.beginPath();
    const r2 = R * 0.37;
    const d = R * 0.55;
    for (let t = 0; t <= Math.PI * 2 * 8; t += 0.02) {
      const x = cx + (R - r2) * Math.cos(t) + d * Math.cos(((R - r2) / r2) * t);
      const y = cy + (R - r2) * Math.sin(t) - d * Math.sin(((R - r2) / r2) * t);
      if (t === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  // A faint "map": a few soft islands across the middle.
  ctx.fillStyle = 'rgba(90, 140, 190, 0.05)';
  let x = w * 0.15;
  while (x < w * 0.8) {
    const iw = rng.range(30, 110);
    const ih = rng.range(12, 40);
    const iy = h * 0.42 + rng.range(-50, 50);
    ctx.beginPath();
    ctx.ellipse(x + iw / 2, iy, iw / 2, ih / 2, rng.range(-0.5, 0.5), 0, Math.PI * 2);
    ctx.fill();
    x += iw + rng.range(10, 40);
  }
}

export function photo(ctx: SKRSContext2D, rng: Rng, x: number, y: number, w: number, h: number, red: boolean, female: boolean): void {
  ctx.fillStyle = red ? `rgb(${200 + rng.int(-15, 15)}, ${28 + rng.int(-10, 10)}, 36)` : `rgb(32, ${86 + rng.int(-10, 10)}, ${170 + rng.int(-15, 15)})`;
  ctx.fillRect(x, y, w, h);
  const cx = x + w / 2 + rng.range(-6, 6);
  // Shoulders and shirt.
  ctx.fillStyle = rng.pick(['#1d1d24', '#f2f2f2', '#2b3a55', '#3c3c3c']);
  ctx.beginPath();
  ctx.moveTo(x + 6, y + h);
  ctx.bezierCurveTo(x + 10, y + h * 0.72, cx - w * 0.28, y + h * 0.7, cx, y + h * 0.69);
  ctx.bezierCurveTo(cx + w * 0.28, y + h * 0.7, x + w - 10, y + h * 0.72, x + w - 6, y + h);
  ctx.closePath();
  ctx.fill();
  // Neck, headscarf (behind the face) or hair, then the face.
  const skin = rng.pick(['#c68e5e', '#b07a4f', '#d9a877', '#8d5b3a']);
  const scarf = female && rng.chance(0.6);
  const scarfColour = rng.pick(['#e8e2d6', '#3d2f5a', '#6b2a3a', '#2f4f4f']);
  if (scarf) {
    ctx.fillStyle = scarfColour;
    ctx.beginPath();
    ctx.ellipse(cx, y + h * 0.4, w * 0.25, h * 0.25, 0, Math.PI, Math.PI * 2);
    ctx.lineTo(cx + w * 0.33, y + h * 0.78);
    ctx.lineTo(cx - w * 0.33, y + h * 0.78);
    ctx.closePath();
    ctx.fill();
  } else {
    ctx.fillStyle = skin;
    ctx.fillRect(cx - w * 0.09, y + h * 0.52, w * 0.18, h * 0.2);
  }
  ctx.fillStyle = skin;
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.42, w * (scarf ? 0.16 : 0.19), h * (scarf ? 0.16 : 0.19), 0, 0, Math.PI * 2);
  ctx.fill();
  if (!scarf) {
    ctx.fillStyle = '#141012';
    ctx.beginPath();
    ctx.ellipse(cx, y + h * 0.34, w * 0.2, h * 0.12, 0, Math.PI, Math.PI * 2);
    ctx.closePath();
    ctx.fill();
  }
}

export function signature(ctx: SKRSContext2D, rng: Rng, x: number, y: number, w: number, h: number): void {
  ctx.strokeStyle = 'rgba(20, 24, 60, 0.9)';
  ctx.lineWidth = rng.range(1.4, 2.2);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.beginPath();
  let px = x;
  let py = y + h * rng.range(0.4, 0.7);
  ctx.moveTo(px, py);
  const strokes = rng.int(4, 7);
  for (let i = 0; i < strokes; i++) {
    const nx = x + ((i + 1) / strokes) * w;
    const ny = y + rng.range(0.1, 0.9) * h;
    ctx.bezierCurveTo(px + rng.range(-30, 40), y + rng.range(-0.2, 1.2) * h, nx + rng.range(-40, 30), y + rng.range(-0.2, 1.2) * h, nx, ny);
    px = nx;
    py = ny;
  }
  ctx.stroke();
  // Underline flourish.
  ctx.beginPath();
  ctx.moveTo(x + rng.range(0, w * 0.3), y + h * rng.range(0.85, 1.0));
  ctx.quadraticCurveTo(x + w / 2, y + h * rng.range(0.9, 1.2), x + w * rng.range(0.8, 1.05), y + h * rng.range(0.7, 0.95));
  ctx.stroke();
}

/** Renders the upright card, CARD_WIDTH x CARD_HEIGHT. */
export function renderCardCanvas(card: CardData, rng: Rng): Canvas {
  loadFonts();
  const W = CARD_WIDTH;
  const H = CARD_HEIGHT;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  background(ctx, rng, W, H);
  const t = card.truth;

  const dx = rng.range(-6, 6);
  const dy = rng.range(-5, 5);
  const j = (s: number) => rng.range(-s, s);
  const ink = `rgb(${rng.int(10, 25)}, ${rng.int(10, 25)}, ${rng.int(25, 50)})`;
  ctx.fillStyle = ink;
  ctx.textBaseline = 'alphabetic';

  // Header, centred over the left part of the card.
  const headerX = 400 + dx + j(8);
  const headPx = 27 + j(1);
  ctx.font = font(SANS_BOLD, headPx);
  ctx.textAlign = 'center';
  drawText(ctx, `PROVINSI ${t.province}`, headerX, 50 + dy, 700);
  drawText(ctx, card.regencyHeader, headerX, 86 + dy + j(1), 700);
  ctx.textAlign = 'left';

  // NIK row.
  const labelX = 38 + dx;
  const colonX = 226 + dx + j(3);
  const valueX = colonX + 15;
  const nikY = 148 + dy + j(2);
  ctx.font = font(SANS_BOLD, 29 + j(1));
  drawText(ctx, 'NIK', labelX, nikY);
  drawText(ctx, ':', colonX, nikY);
  ctx.font = font(OCRA, 40 + j(1.5));
  drawText(ctx, t.id, valueX + 2, nikY + 3);

  // Photo and what sits under it.
  const photoX = 768 + dx + j(4);
  const photoY = 120 + dy + j(4);
  const photoW = 186;
  const photoH = 240;
  photo(ctx, rng, photoX, photoY, photoW, photoH, card.birthYear % 2 === 1, card.female);
  ctx.fillStyle = ink;
  const smallPx = 19 + j(0.8);
  ctx.font = font(SANS, smallPx);
  ctx.textAlign = 'center';
  drawText(ctx, t.issue_city ?? '', photoX + photoW / 2 + j(3), photoY + photoH + 30, 220);
  drawText(ctx, t.issue_date ?? '', photoX + photoW / 2 + j(3), photoY + photoH + 54);
  ctx.textAlign = 'left';
  signature(ctx, rng, photoX + 20 + j(10), photoY + photoH + 68, photoW - 40, 55);
  ctx.fillStyle = ink;

  // Labelled rows.
  const px = 21 + j(0.6);
  ctx.font = font(SANS, px);
  const maxValueWidth = photoX - 14 - valueX;
  const nameLines = wrap(ctx, t.name, maxValueWidth, 2);
  const addressLines = wrap(ctx, t.address, maxValueWidth, 2);
  const pobLine = `${t.pob}, ${t.dob}`;

  type Row = { label: string; lines: string[]; indent?: boolean; touching?: boolean; blood?: boolean };
  const rows: Row[] = [
    { label: 'Nama', lines: nameLines },
    { label: 'Tempat/Tgl Lahir', lines: [pobLine] },
    { label: 'Jenis Kelamin', lines: [t.gender], blood: true },
    { label: 'Alamat', lines: addressLines },
    { label: 'RT/RW', lines: [`${t.rt}/${t.rw}`], indent: true },
    { label: 'Kel/Desa', lines: [t.village], indent: true },
    { label: 'Kecamatan', lines: [t.district], indent: true },
    { label: card.religionLabel, lines: [t.religion] },
    { label: 'Status Perkawinan', lines: [t.marital_status], touching: true },
    { label: 'Pekerjaan', lines: [t.work] },
    { label: 'Kewarganegaraan', lines: [t.nationnality], touching: true },
    { label: 'Berlaku Hingga', lines: [t.valid_until ?? ''] },
  ];
  const totalLines = rows.reduce((s, r) => s + r.lines.length, 0);
  const firstY = 190 + dy + j(2);
  const lastY = 612;
  const pitch = Math.min(32.5, (lastY - firstY) / (totalLines - 1)) + j(0.4);
  let y = firstY;
  for (const row of rows) {
    const ry = y + j(1.2);
    const lx = labelX + (row.indent ? 32 : 0) + j(1.5);
    // Values at the right of the photo column must not run under the photo, except below it.
    const rowMax = ry > photoY + photoH + 70 ? 900 - valueX : ry > photoY - 10 ? maxValueWidth : 940 - valueX;
    if (row.touching) {
      const w = drawText(ctx, row.label, lx, ry);
      drawText(ctx, ':', lx + w + 1, ry);
    } else {
      drawText(ctx, row.label, lx, ry);
      drawText(ctx, ':', colonX + j(1), ry);
    }
    row.lines.forEach((line, i) => {
      const ly = ry + i * pitch;
      if (row.blood && i === 0) {
        const w = drawText(ctx, line, valueX + j(1), ly);
        const bx = Math.max(valueX + w + 40, valueX + 190) + j(6);
        const bw = drawText(ctx, card.bloodLabel, bx, ly);
        drawText(ctx, ':', bx + bw + 8, ly);
        drawText(ctx, t.blood_type ?? '-', bx + bw + 22, ly);
      } else {
        drawText(ctx, line, valueX + j(1), ly, i === 0 ? rowMax : maxValueWidth);
      }
    });
    y += pitch * row.lines.length;
  }
  return canvas;
}

/** A wooden or fabric table top for the photo variant. */
export function renderTable(rng: Rng, w: number, h: number): Canvas {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const wood = rng.chance(0.6);
  const base = wood
    ? rng.pick([[140, 98, 62], [112, 78, 50], [168, 126, 86]] as const)
    : rng.pick([[88, 92, 98], [120, 110, 100], [60, 70, 84]] as const);
  ctx.fillStyle = `rgb(${base[0]}, ${base[1]}, ${base[2]})`;
  ctx.fillRect(0, 0, w, h);
  if (wood) {
    // Grain: long wavy streaks.
    for (let i = 0; i < 160; i++) {
      const y0 = rng.range(-20, h + 20);
      const shade = rng.range(-30, 25);
      ctx.strokeStyle = `rgba(${base[0] + shade}, ${base[1] + shade}, ${base[2] + shade}, ${rng.range(0.25, 0.6)})`;
      ctx.lineWidth = rng.range(0.8, 4);
      ctx.beginPath();
      const f = rng.range(0.002, 0.008);
      const a = rng.range(2, 12);
      const ph = rng.range(0, 6.28);
      for (let x = 0; x <= w; x += 10) {
        const y = y0 + a * Math.sin(x * f + ph);
        if (x === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  } else {
    // Fabric: fine crosshatch.
    for (let i = 0; i < w; i += 3) {
      ctx.strokeStyle = `rgba(255,255,255,${rng.range(0.02, 0.08)})`;
      ctx.beginPath();
      ctx.moveTo(i, 0);
      ctx.lineTo(i, h);
      ctx.stroke();
    }
    for (let i = 0; i < h; i += 3) {
      ctx.strokeStyle = `rgba(0,0,0,${rng.range(0.02, 0.08)})`;
      ctx.beginPath();
      ctx.moveTo(0, i);
      ctx.lineTo(w, i);
      ctx.stroke();
    }
  }
  return canvas;
}

/** 84500 -> "84.500" (Indonesian thousands separator). */
const rupiah = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** Something that is not a KTP but has text on it: a shop receipt or a notice. */
export function renderNotAKtp(rng: Rng): Canvas {
  loadFonts();
  const w = 900;
  const h = 640;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'rgb(246, 244, 238)';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#222';
  ctx.font = font(SANS_BOLD, 30);
  ctx.textAlign = 'center';
  ctx.fillText(rng.pick(['TOKO SUMBER REJEKI', 'WARUNG MAKAN BAHAGIA', 'MINIMARKET SEJAHTERA']), w / 2, 60);
  ctx.font = font(SANS, 20);
  ctx.fillText('STRUK PEMBELIAN', w / 2, 95);
  ctx.textAlign = 'left';
  const items = ['BERAS 5KG', 'MINYAK GORENG 2L', 'GULA PASIR 1KG', 'TELUR AYAM 1KG', 'KOPI BUBUK', 'TEH CELUP', 'SABUN MANDI', 'MIE INSTAN 5PCS', 'AIR MINERAL 600ML', 'ROTI TAWAR'];
  let y = 150;
  let total = 0;
  ctx.font = font(SANS, 22);
  const pool = [...items];
  for (let i = 0; i < 8; i++) {
    const item = pool.splice(rng.int(0, pool.length - 1), 1)[0] ?? 'LAIN-LAIN';
    const price = rng.int(3, 90) * 1000 + rng.pick([0, 500]);
    total += price;
    ctx.fillText(item, 60, y);
    ctx.textAlign = 'right';
    ctx.fillText(rupiah(price), w - 60, y);
    ctx.textAlign = 'left';
    y += 40;
  }
  ctx.fillRect(60, y - 20, w - 120, 2);
  ctx.font = font(SANS_BOLD, 24);
  ctx.fillText('TOTAL', 60, y + 20);
  ctx.textAlign = 'right';
  ctx.fillText(rupiah(total), w - 60, y + 20);
  ctx.textAlign = 'center';
  ctx.font = font(SANS, 18);
  ctx.fillText('TERIMA KASIH ATAS KUNJUNGAN ANDA', w / 2, h - 40);
  return canvas;
}
