/**
 * Renderer families: the same made-up identities drawn by different "KTP generators", kept apart
 * so that a reader tuned on some can be measured on one it never saw (bench/accuracy.ts declares
 * which). Families differ in template (background, watermark text, photo and issue-block position
 * and size), fonts (labels, values, NIK), resolution, label column, line spacing, header size,
 * overlays and degradations, and in what they print: off-vocabulary and off-format values,
 * malformed and inconsistent NIKs, slash dates, orange WNA cards.
 *
 * `classic` is the original renderer (render.ts), byte for byte; `hardphoto` is a hard phone photo
 * of a card drawn by another family (hard-photo.ts); the others are drawn here.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RawKtpFields } from '../../src/ktp/raw-fields.ts';
import { loadFonts, photo, signature } from './render.ts';
import { createRng, type Rng } from './rng.ts';
import type { CardData } from './truth.ts';
import { fromRaw, jpeg, photoVariant, png, type Raw, type RenderedImage } from './variants.ts';

export const FAMILIES = ['classic', 'dejavu', 'phone', 'screenshot', 'scan', 'hardphoto'] as const;
export type Family = (typeof FAMILIES)[number];
/** The families drawn by this file's renderer (`classic` is render.ts; `hardphoto` photographs another family's card, hard-photo.ts). */
export type DrawnFamily = Exclude<Family, 'classic' | 'hardphoto'>;

/**
 * The family no reader change may be tuned on: written and committed before the reader was tuned
 * against the others, never run with `--misses`, reported as it comes (bench/accuracy.ts,
 * docs/accuracy.md). It was `screenshot` until the NIK work after 0.2.x, which looked at it.
 */
export const HELD_OUT_FAMILY: Family = 'scan';

export function isFamily(s: string): s is Family {
  return (FAMILIES as readonly string[]).includes(s);
}

type FontRole = 'label' | 'value' | 'nik' | 'header';

interface Style {
  fonts: Record<FontRole, string>;
  /** Card width in pixels, [min, max]; the height follows the ISO ID-1 aspect. */
  width: readonly [number, number];
  /** Where the colon column sits, as a share of the width. */
  colon: readonly [number, number];
  /** Row pitch as a share of the height. */
  pitch: readonly [number, number];
  /** Value text size as a share of the height. */
  text: number;
  header: number;
  nik: number;
  photo: { x: readonly [number, number]; y: number; w: number; h: number };
  /** Issue place/date: right under the photo, or lower (level with the rows further down). */
  issueDrop: readonly [number, number];
  background: 'plain-blue' | 'guilloche-blue' | 'flat-blue';
  watermark: string | null;
  /** Chances of what this generator prints differently. */
  quirks: { offVocabulary: number; malformedNik: number; inconsistentNik: number; slashDate: number; offFormat: number; wna: number };
  degrade: 'clean-or-jpeg' | 'phone' | 'screenshot' | 'scan';
}

const STYLES: Record<DrawnFamily, Style> = {
  // A mock-up generator in DejaVu Sans with an OCR-A NIK: small images, a wide label column, the
  // issue block low beside the rows, a diagonal "KARTU TANDA PENDUDUK" watermark.
  dejavu: {
    fonts: { label: 'FamDejaVu', value: 'FamDejaVu', nik: 'FamOcrA', header: 'FamDejaVuBold' },
    width: [720, 1000],
    colon: [0.27, 0.31],
    pitch: [0.046, 0.05],
    text: 0.031,
    header: 0.04,
    nik: 0.058,
    photo: { x: [0.7, 0.73], y: 0.25, w: 0.21, h: 0.34 },
    issueDrop: [0.12, 0.18],
    background: 'plain-blue',
    watermark: 'KARTU TANDA PENDUDUK',
    quirks: { offVocabulary: 0.35, malformedNik: 0.15, inconsistentNik: 0.1, slashDate: 0.2, offFormat: 0.05, wna: 0.15 },
    degrade: 'clean-or-jpeg',
  },
  // A phone photo of a card printed in Liberation Sans, the NIK in a monospaced bold (not OCR-A):
  // the card in a 1600-1800 px frame, perspective, uneven light, noise.
  phone: {
    fonts: { label: 'FamSans', value: 'FamSans', nik: 'FamMonoBold', header: 'FamSansBold' },
    width: [1000, 1150],
    colon: [0.2, 0.24],
    pitch: [0.05, 0.053],
    text: 0.033,
    header: 0.043,
    nik: 0.056,
    photo: { x: [0.75, 0.78], y: 0.19, w: 0.17, h: 0.33 },
    issueDrop: [0.03, 0.05],
    background: 'guilloche-blue',
    watermark: null,
    quirks: { offVocabulary: 0.15, malformedNik: 0.05, inconsistentNik: 0.15, slashDate: 0.1, offFormat: 0.25, wna: 0.1 },
    degrade: 'phone',
  },
  // A screenshot of a generator's output: large (1400-1800 px), values in a serif face, a big
  // header, tight rows, a phone status bar and black bars, a diagonal watermark.
  screenshot: {
    fonts: { label: 'FamSansBold', value: 'FamSerif', nik: 'FamOcrA', header: 'FamSerifBold' },
    width: [1400, 1800],
    colon: [0.23, 0.27],
    pitch: [0.044, 0.047],
    text: 0.03,
    header: 0.048,
    nik: 0.054,
    photo: { x: [0.68, 0.71], y: 0.22, w: 0.2, h: 0.34 },
    issueDrop: [0.06, 0.14],
    background: 'flat-blue',
    watermark: 'SPESIMEN',
    quirks: { offVocabulary: 0.25, malformedNik: 0.1, inconsistentNik: 0.1, slashDate: 0.15, offFormat: 0.15, wna: 0.15 },
    degrade: 'screenshot',
  },
  // A flatbed scan of a card printed from an office template: condensed labels, serif values, the
  // NIK in DejaVu Sans Mono Bold (neither OCR-A nor Liberation), a tall photo far right, the issue
  // block close under it, a "CONTOH" (specimen) watermark; on the scanner's off-white bed, turned
  // by up to 2 degrees, softened and saved as JPEG.
  scan: {
    fonts: { label: 'FamDejaVuCond', value: 'FamDejaVuSerif', nik: 'FamDejaVuMonoBold', header: 'FamDejaVuSerifBold' },
    width: [1100, 1400],
    colon: [0.25, 0.29],
    pitch: [0.048, 0.052],
    text: 0.032,
    header: 0.045,
    nik: 0.06,
    photo: { x: [0.72, 0.75], y: 0.2, w: 0.19, h: 0.36 },
    issueDrop: [0.02, 0.08],
    background: 'guilloche-blue',
    watermark: 'CONTOH',
    quirks: { offVocabulary: 0.25, malformedNik: 0.1, inconsistentNik: 0.1, slashDate: 0.15, offFormat: 0.15, wna: 0.15 },
    degrade: 'scan',
  },
};

let fontsLoaded = false;
function loadFamilyFonts(): void {
  if (fontsLoaded) return;
  loadFonts();
  const dir = fileURLToPath(new URL('./fonts/', import.meta.url));
  const fonts: [string, string][] = [
    ['DejaVuSans.ttf', 'FamDejaVu'],
    ['DejaVuSans-Bold.ttf', 'FamDejaVuBold'],
    ['LiberationSans-Regular.ttf', 'FamSans'],
    ['LiberationSans-Bold.ttf', 'FamSansBold'],
    ['LiberationSerif-Regular.ttf', 'FamSerif'],
    ['LiberationSerif-Bold.ttf', 'FamSerifBold'],
    ['LiberationMono-Bold.ttf', 'FamMonoBold'],
    ['OCRA.ttf', 'FamOcrA'],
    ['DejaVuSansCondensed.ttf', 'FamDejaVuCond'],
    ['DejaVuSerif.ttf', 'FamDejaVuSerif'],
    ['DejaVuSerif-Bold.ttf', 'FamDejaVuSerifBold'],
    ['DejaVuSansMono-Bold.ttf', 'FamDejaVuMonoBold'],
  ];
  for (const [file, name] of fonts) {
    if (!GlobalFonts.registerFromPath(`${dir}${file}`, name)) throw new Error(`synthetic-ktp: could not load ${file}`);
  }
  fontsLoaded = true;
}

/** Older cards' and mock-ups' free-text occupations: none is an official value, each is printed as it is. */
const OFF_VOCABULARY_WORK = ['PEGAWAI SWASTA', 'SWASTA', 'PETANI', 'TIDAK BEKERJA', 'PEGAWAI NEGERI SIPIL', 'IBU RUMAH TANGGA', 'PNS'];
const WNA_COUNTRIES = ['JEPANG', 'MALAYSIA', 'AUSTRALIA', 'SINGAPURA', 'BELANDA', 'KOREA SELATAN', 'INDIA', 'JERMAN'];
const WNA_NAMES = ['HIROSHI TANAKA', 'JOHN MICHAEL SMITH', 'LEE MIN HO', 'ANNA DE VRIES', 'RAJESH KUMAR', 'THOMAS MULLER', 'YUKI SATO', 'DAVID CHEN'];

/** What the card prints and whether it is a WNA card; the truth is what is printed, whatever it is. */
export interface FamilyCard {
  truth: RawKtpFields;
  wna: boolean;
  /** Whether the printed NIK is 16 digits (the NIK accuracy figure counts only those). */
  nikIs16Digits: boolean;
}

/** A date printed with slashes instead of dashes, as some generators do. */
const slashed = (date: string) => date.replaceAll('-', '/');

/** The family's variations on the identity (only for the new families; classic prints the data as it is). */
export function familyTruth(data: CardData, family: DrawnFamily, rng: Rng): FamilyCard {
  const q = STYLES[family].quirks;
  const t: RawKtpFields = { ...data.truth };
  const wna = rng.chance(q.wna);
  if (wna) {
    t.nationnality = rng.pick(WNA_COUNTRIES);
    t.name = rng.pick(WNA_NAMES);
    // A WNA card is valid until a date (the residence permit's), not for life.
    const [d, m] = t.dob.split('-');
    t.valid_until = `${d}-${m}-${rng.int(2027, 2032)}`;
  }
  if (rng.chance(q.offVocabulary)) t.work = rng.pick(OFF_VOCABULARY_WORK);
  if (rng.chance(q.slashDate)) t.dob = slashed(t.dob);
  if (rng.chance(q.offFormat)) {
    const kind = rng.pick(['gender', 'nationality', 'valid-until'] as const);
    if (kind === 'gender') t.gender = t.gender === 'LAKI-LAKI' ? 'MALE' : 'FEMALE';
    if (kind === 'nationality' && !wna) t.nationnality = 'INDONESIA';
    if (kind === 'valid-until') {
      const date = t.valid_until === 'SEUMUR HIDUP' ? `${t.dob.slice(0, 2)}-${t.dob.slice(3, 5)}-2030` : t.valid_until!;
      t.valid_until = `${date.slice(0, 6)} ${date.slice(6)}`;
    }
  }
  let nikIs16Digits = true;
  if (rng.chance(q.malformedNik)) {
    const kind = rng.pick(['short', 'long', 'letters'] as const);
    if (kind === 'short') t.id = t.id.slice(0, 12);
    if (kind === 'long') t.id = t.id.slice(0, 14);
    if (kind === 'letters') t.id = `${t.id.slice(0, 4)}XXXXXXXX${t.id.slice(12)}`;
    nikIs16Digits = false;
  } else if (rng.chance(q.inconsistentNik)) {
    // A clean 16-digit NIK whose birth digits disagree with the printed card: another year.
    const yy = (Number(t.id.slice(10, 12)) + rng.int(1, 9)) % 100;
    t.id = `${t.id.slice(0, 10)}${String(yy).padStart(2, '0')}${t.id.slice(12)}`;
  }
  return { truth: t, wna, nikIs16Digits };
}

function drawBackground(ctx: SKRSContext2D, style: Style, rng: Rng, w: number, h: number, wna: boolean): void {
  const [c0, c1] = wna
    ? [[252, 214, 160], [240, 176, 112]]
    : style.background === 'flat-blue'
      ? [[205, 226, 242], [205, 226, 242]]
      : [[222, 238, 249], [180, 210, 232]];
  const gradient = ctx.createLinearGradient(0, 0, w, h);
  gradient.addColorStop(0, `rgb(${c0.join(',')})`);
  gradient.addColorStop(1, `rgb(${c1.join(',')})`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, w, h);
  if (style.background === 'guilloche-blue') {
    ctx.lineWidth = Math.max(0.6, w / 1400);
    ctx.strokeStyle = wna ? 'rgba(190, 110, 50, 0.18)' : 'rgba(70, 120, 175, 0.16)';
    const f = rng.range(0.006, 0.012) * (1000 / w);
    for (let y0 = -40; y0 < h + 40; y0 += h / 24) {
      ctx.beginPath();
      for (let x = 0; x <= w; x += 6) {
        const y = y0 + (h / 40) * Math.sin(x * f + y0 * 0.03);
        if (x === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  }
}

function drawWatermark(ctx: SKRSContext2D, text: string, w: number, h: number, rng: Rng): void {
  ctx.save();
  ctx.translate(w * 0.5, h * 0.55);
  ctx.rotate(-rng.range(0.3, 0.5));
  ctx.font = `${(h * 0.09).toFixed(1)}px FamSansBold`;
  ctx.textAlign = 'center';
  ctx.fillStyle = 'rgba(40, 60, 110, 0.09)';
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/** Draws text squeezed horizontally when it would run past maxWidth. */
function text(ctx: SKRSContext2D, s: string, x: number, y: number, maxWidth?: number): number {
  const w = ctx.measureText(s).width;
  if (maxWidth !== undefined && w > maxWidth) {
    ctx.save();
    ctx.translate(x, y);
    ctx.scale(maxWidth / w, 1);
    ctx.fillText(s, 0, 0);
    ctx.restore();
    return maxWidth;
  }
  ctx.fillText(s, x, y);
  return w;
}

function wrap(ctx: SKRSContext2D, s: string, maxWidth: number): string[] {
  const words = s.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(candidate).width > maxWidth && lines.length < 1) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}

/** The card as this family's generator draws it, as raw RGBA. */
export function renderFamilyCard(data: CardData, card: FamilyCard, family: DrawnFamily, rng: Rng): Raw {
  loadFamilyFonts();
  const style = STYLES[family];
  const W = Math.round(rng.range(style.width[0], style.width[1]));
  const H = Math.round(W / 1.586);
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  drawBackground(ctx, style, rng, W, H, card.wna);
  const t = card.truth;
  const ink = 'rgb(18, 18, 32)';
  const px = (share: number) => `${(share * H).toFixed(1)}px`;

  // Header, centred over the left part.
  ctx.fillStyle = ink;
  ctx.textAlign = 'center';
  ctx.font = `${px(style.header)} ${style.fonts.header}`;
  const headerX = W * rng.range(0.38, 0.42);
  text(ctx, `PROVINSI ${t.province}`, headerX, H * 0.08, W * 0.66);
  text(ctx, data.regencyHeader, headerX, H * 0.08 + style.header * H * 1.35, W * 0.66);
  ctx.textAlign = 'left';

  const labelX = W * rng.range(0.03, 0.045);
  const colonX = W * rng.range(style.colon[0], style.colon[1]);
  const valueX = colonX + W * 0.016;
  const nikY = H * 0.08 + style.header * H * 1.35 + style.nik * H * 1.45;
  ctx.font = `${px(style.text * 1.25)} ${style.fonts.header}`;
  text(ctx, 'NIK', labelX, nikY);
  text(ctx, ':', colonX, nikY);
  ctx.font = `${px(style.nik)} ${style.fonts.nik}`;
  text(ctx, t.id, valueX, nikY + style.nik * H * 0.08);

  const photoX = W * rng.range(style.photo.x[0], style.photo.x[1]);
  const photoY = H * style.photo.y + rng.range(-0.01, 0.01) * H;
  const photoW = W * style.photo.w;
  const photoH = H * style.photo.h;
  photo(ctx, rng, photoX, photoY, photoW, photoH, data.birthYear % 2 === 1, data.female);
  ctx.fillStyle = ink;
  ctx.font = `${px(style.text * 0.9)} ${style.fonts.value}`;
  ctx.textAlign = 'center';
  const issueY = photoY + photoH + H * rng.range(style.issueDrop[0], style.issueDrop[1]);
  text(ctx, t.issue_city ?? '', photoX + photoW / 2, issueY, photoW * 1.15);
  text(ctx, t.issue_date ?? '', photoX + photoW / 2, issueY + style.text * H * 1.2);
  ctx.textAlign = 'left';
  signature(ctx, rng, photoX + photoW * 0.15, issueY + style.text * H * 1.6, photoW * 0.7, H * 0.07);
  ctx.fillStyle = ink;

  ctx.font = `${px(style.text)} ${style.fonts.value}`;
  const maxValue = photoX - W * 0.02 - valueX;
  const rows: { label: string; lines: string[]; indent?: boolean; blood?: boolean }[] = [
    { label: 'Nama', lines: wrap(ctx, t.name, maxValue) },
    { label: 'Tempat/Tgl Lahir', lines: [`${t.pob}, ${t.dob}`] },
    { label: 'Jenis Kelamin', lines: [t.gender], blood: true },
    { label: 'Alamat', lines: wrap(ctx, t.address, maxValue) },
    { label: 'RT/RW', lines: [`${t.rt}/${t.rw}`], indent: true },
    { label: 'Kel/Desa', lines: [t.village], indent: true },
    { label: 'Kecamatan', lines: [t.district], indent: true },
    { label: data.religionLabel, lines: [t.religion] },
    { label: 'Status Perkawinan', lines: [t.marital_status] },
    { label: 'Pekerjaan', lines: [t.work] },
    { label: 'Kewarganegaraan', lines: [t.nationnality] },
    { label: 'Berlaku Hingga', lines: [t.valid_until ?? ''] },
  ];
  const total = rows.reduce((s, r) => s + r.lines.length, 0);
  const pitch = Math.min(H * rng.range(style.pitch[0], style.pitch[1]), (H * 0.975 - (nikY + H * 0.06)) / (total - 1));
  let y = nikY + H * 0.065;
  for (const row of rows) {
    ctx.font = `${px(style.text)} ${style.fonts.label}`;
    text(ctx, row.label, labelX + (row.indent ? W * 0.03 : 0), y);
    text(ctx, ':', colonX, y);
    ctx.font = `${px(style.text)} ${style.fonts.value}`;
    row.lines.forEach((line, i) => {
      const ly = y + i * pitch;
      if (row.blood && i === 0) {
        const w = text(ctx, line, valueX, ly);
        const bx = Math.max(valueX + w + W * 0.04, valueX + W * 0.19);
        ctx.font = `${px(style.text)} ${style.fonts.label}`;
        const bw = text(ctx, data.bloodLabel, bx, ly);
        text(ctx, ':', bx + bw + W * 0.008, ly);
        ctx.font = `${px(style.text)} ${style.fonts.value}`;
        text(ctx, t.blood_type ?? '-', bx + bw + W * 0.022, ly);
      } else {
        text(ctx, line, valueX, ly, maxValue);
      }
    });
    y += pitch * row.lines.length;
  }
  if (style.watermark) drawWatermark(ctx, style.watermark, W, H, rng);
  const img = ctx.getImageData(0, 0, W, H);
  return { data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: W, height: H, channels: 4 };
}

/** A phone's screenshot of the card: a status bar, black bars around the card, as PNG or JPEG. */
async function screenshot(card: Raw, rng: Rng): Promise<RenderedImage> {
  const bar = Math.round(card.height * rng.range(0.05, 0.08));
  const side = Math.round(card.width * rng.range(0.02, 0.06));
  const W = card.width + 2 * side;
  const H = card.height + bar + Math.round(card.height * rng.range(0.04, 0.1));
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#f2f2f2';
  ctx.font = `${(bar * 0.55).toFixed(1)}px FamSansBold`;
  ctx.fillText(`${rng.int(6, 23)}:${String(rng.int(0, 59)).padStart(2, '0')}`, side + bar * 0.4, bar * 0.72);
  ctx.textAlign = 'right';
  ctx.fillText(`${rng.int(12, 99)}%`, W - side - bar * 0.4, bar * 0.72);
  const img = ctx.getImageData(0, 0, W, H);
  const frame = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: W, height: H, channels: 4 } });
  const composed = await frame
    .composite([{ input: await fromRaw(card).png().toBuffer(), left: side, top: bar }])
    .removeAlpha()
    .png()
    .toBuffer();
  return rng.chance(0.5) ? { bytes: await png(sharp(composed)), ext: 'png' } : { bytes: await jpeg(sharp(composed), rng.int(75, 90)), ext: 'jpg' };
}

/** A flatbed scan: the card on an off-white bed, turned a little, softened by the scanner's optics, as JPEG. */
async function scan(card: Raw, rng: Rng): Promise<RenderedImage> {
  const bed = { r: 244, g: 243, b: 238 };
  const angle = rng.range(0.4, 2) * (rng.chance(0.5) ? 1 : -1);
  const turned = await fromRaw(card).removeAlpha().rotate(angle, { background: bed }).png().toBuffer();
  const margin = () => Math.round(card.width * rng.range(0.03, 0.09));
  const placed = await sharp(turned)
    .extend({ top: margin(), bottom: margin(), left: margin(), right: margin(), background: bed })
    .png()
    .toBuffer();
  return { bytes: await jpeg(sharp(placed).blur(rng.range(0.5, 0.9)).gamma(rng.range(1.0, 1.4)), rng.int(70, 88)), ext: 'jpg' };
}

/** The family's image of a card: its own degradations of the drawn card. */
export async function degradeFamilyCard(card: Raw, family: DrawnFamily, rng: Rng): Promise<RenderedImage> {
  switch (STYLES[family].degrade) {
    case 'clean-or-jpeg':
      return rng.chance(0.5) ? { bytes: await png(fromRaw(card).removeAlpha()), ext: 'png' } : { bytes: await jpeg(fromRaw(card).removeAlpha(), rng.int(65, 85)), ext: 'jpg' };
    case 'phone': {
      const width = rng.int(1600, 1800);
      return { bytes: await photoVariant(card, rng, { width, height: Math.round(width * 0.75) }), ext: 'jpg' };
    }
    case 'screenshot':
      return screenshot(card, rng);
    case 'scan':
      return scan(card, rng);
  }
}

/** Seeds of a family's cards derive their own streams, so families never share a picture. */
export function familyRng(seed: number, family: Family, stream: string): Rng {
  return createRng(seed, `${family}:${stream}`);
}
