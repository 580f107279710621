/**
 * What people send instead of a KTP's front, drawn synthetically (no image of a real document is
 * in the repo): the card's back, a family card (KK), a driving licence (SIM), a passport's data
 * page, and an empty KTP template (the labels with no values). The reader must answer FAIL for
 * each, saying which it looks like when it can tell.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { loadFonts, photo } from './render.ts';
import { createRng, type Rng } from './rng.ts';
import { fromRaw, jpeg, type RenderedImage } from './variants.ts';

export const DOCUMENTS = ['ktp-back', 'family-card', 'driving-licence', 'passport', 'empty-template'] as const;
export type DocumentKind = (typeof DOCUMENTS)[number];

const SANS = 'KtpSans';
const BOLD = 'KtpSansBold';
const OCRA = 'KtpOcrA';

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

function blueCard(ctx: SKRSContext2D, w: number, h: number): void {
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, 'rgb(214, 233, 245)');
  g.addColorStop(1, 'rgb(186, 214, 234)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
}

function ktpBack(ctx: SKRSContext2D, w: number, h: number, rng: Rng): void {
  blueCard(ctx, w, h);
  ctx.fillStyle = '#1b2540';
  ctx.textAlign = 'center';
  ctx.font = `30px ${BOLD}`;
  ctx.fillText('REPUBLIK INDONESIA', w / 2, 80);
  ctx.font = `24px ${BOLD}`;
  ctx.fillText('KARTU TANDA PENDUDUK', w / 2, 120);
  ctx.fillStyle = 'rgb(200, 170, 90)';
  ctx.fillRect(80, 250, 110, 90);
  ctx.fillStyle = '#1b2540';
  ctx.font = `18px ${SANS}`;
  ctx.fillText('Kartu ini milik Pemerintah Republik Indonesia.', w / 2, 470);
  ctx.fillText('Apabila menemukan kartu ini, harap dikembalikan', w / 2, 500);
  ctx.fillText(`ke Dinas Kependudukan dan Pencatatan Sipil ${rng.pick(['setempat', 'terdekat'])}.`, w / 2, 530);
  ctx.textAlign = 'left';
}

function familyCard(ctx: SKRSContext2D, w: number, h: number, rng: Rng): void {
  ctx.fillStyle = 'rgb(250, 250, 246)';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#222';
  ctx.textAlign = 'center';
  ctx.font = `34px ${BOLD}`;
  ctx.fillText('KARTU KELUARGA', w / 2, 60);
  ctx.font = `22px ${SANS}`;
  ctx.fillText(`No. ${digits(rng, 16)}`, w / 2, 95);
  ctx.textAlign = 'left';
  ctx.font = `18px ${SANS}`;
  ctx.fillText(`Nama Kepala Keluarga : ${rng.pick(['BUDI SANTOSO', 'AGUS WIJAYA', 'DEDI HIDAYAT'])}`, 40, 150);
  ctx.fillText(`Alamat : JL. ${rng.pick(['MAWAR', 'MELATI', 'KENANGA'])} NO. ${rng.int(1, 99)}`, 40, 180);
  const cols = ['No', 'Nama Lengkap', 'NIK', 'Jenis Kelamin', 'Tempat Lahir', 'Tanggal Lahir', 'Agama', 'Pendidikan', 'Jenis Pekerjaan'];
  const xs = [40, 80, 260, 470, 590, 720, 860, 960, 1080];
  ctx.font = `15px ${BOLD}`;
  cols.forEach((c, i) => ctx.fillText(c, xs[i]!, 230));
  ctx.font = `15px ${SANS}`;
  for (let r = 0; r < 4; r++) {
    const y = 265 + r * 32;
    const row = [String(r + 1), rng.pick(['SITI AMINAH', 'RIZKI PRATAMA', 'DEWI LESTARI', 'AHMAD FAUZI']), digits(rng, 16), rng.pick(['LAKI-LAKI', 'PEREMPUAN']), 'BANDUNG', `0${rng.int(1, 9)}-0${rng.int(1, 9)}-19${rng.int(60, 99)}`, 'ISLAM', 'SLTA', 'WIRASWASTA'];
    row.forEach((c, i) => ctx.fillText(c, xs[i]!, y));
  }
}

function drivingLicence(ctx: SKRSContext2D, w: number, h: number, rng: Rng): void {
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, 'rgb(236, 236, 226)');
  g.addColorStop(1, 'rgb(214, 222, 206)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#182030';
  ctx.font = `28px ${BOLD}`;
  ctx.fillText('SURAT IZIN MENGEMUDI', 280, 60);
  ctx.font = `20px ${SANS}`;
  ctx.fillText('DRIVING LICENSE', 280, 90);
  ctx.font = `22px ${OCRA}`;
  ctx.fillText(digits(rng, 12), 280, 140);
  ctx.font = `19px ${SANS}`;
  const lines = ['1. BUDI SANTOSO', '2. BANDUNG, 12-05-1988', '3. O - PRIA', '4. JL. MAWAR NO. 7', '5. WIRASWASTA', '6. JAWA BARAT', `7. ${rng.int(10, 28)}-0${rng.int(1, 9)}-2029`];
  lines.forEach((l, i) => ctx.fillText(l, 280, 190 + i * 36));
  photo(ctx, rng, 40, 120, 200, 260, false, false);
}

function passport(ctx: SKRSContext2D, w: number, h: number, rng: Rng): void {
  ctx.fillStyle = 'rgb(238, 232, 222)';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#2a2a2a';
  ctx.font = `26px ${BOLD}`;
  ctx.fillText('PASPOR  REPUBLIK INDONESIA', 300, 50);
  ctx.font = `16px ${SANS}`;
  const rows = [['Jenis / Type', 'P'], ['Kode Negara / Country Code', 'IDN'], ['No. Paspor / Passport No.', `C${digits(rng, 7)}`], ['Nama Lengkap / Full Name', 'SANTOSO BUDI'], ['Kewarganegaraan / Nationality', 'INDONESIA']];
  rows.forEach(([label, value], i) => {
    ctx.fillText(label!, 300, 100 + i * 50);
    ctx.fillText(value!, 300, 122 + i * 50);
  });
  photo(ctx, rng, 40, 90, 220, 290, false, false);
  ctx.font = `24px ${OCRA}`;
  ctx.fillText('P<IDNSANTOSO<<BUDI<<<<<<<<<<<<<<<<<<<<<<<<<', 30, h - 70);
  ctx.fillText(`C${digits(rng, 7)}<0IDN8805125M2905123<<<<<<<<<<<<<<02`, 30, h - 30);
}

function emptyTemplate(ctx: SKRSContext2D, w: number, h: number, rng: Rng): void {
  blueCard(ctx, w, h);
  ctx.fillStyle = '#141428';
  ctx.textAlign = 'center';
  ctx.font = `27px ${BOLD}`;
  ctx.fillText('PROVINSI', 400, 50);
  ctx.textAlign = 'left';
  ctx.font = `29px ${BOLD}`;
  ctx.fillText('NIK', 38, 148);
  ctx.fillText(':', 226, 148);
  ctx.font = `21px ${SANS}`;
  const labels = ['Nama', 'Tempat/Tgl Lahir', 'Jenis Kelamin', 'Alamat', '    RT/RW', '    Kel/Desa', '    Kecamatan', 'Agama', 'Status Perkawinan', 'Pekerjaan', 'Kewarganegaraan', 'Berlaku Hingga'];
  labels.forEach((l, i) => {
    ctx.fillText(l.trim(), 38 + (l.startsWith(' ') ? 32 : 0), 190 + i * 34);
    ctx.fillText(':', 226, 190 + i * 34);
  });
  ctx.strokeStyle = 'rgba(20, 20, 40, 0.5)';
  ctx.strokeRect(768 + rng.range(-4, 4), 120, 186, 240);
}

const DRAW: Record<DocumentKind, { width: number; height: number; draw: (ctx: SKRSContext2D, w: number, h: number, rng: Rng) => void }> = {
  'ktp-back': { width: 1000, height: 630, draw: ktpBack },
  'family-card': { width: 1240, height: 480, draw: familyCard },
  'driving-licence': { width: 1000, height: 630, draw: drivingLicence },
  passport: { width: 1000, height: 700, draw: passport },
  'empty-template': { width: 1000, height: 630, draw: emptyTemplate },
};

/** A synthetic image of `kind`, seeded, as JPEG. */
export async function renderDocument(kind: DocumentKind, seed: number): Promise<RenderedImage> {
  loadFonts();
  const { width, height, draw } = DRAW[kind];
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  draw(ctx, width, height, createRng(seed, `document:${kind}`));
  const img = ctx.getImageData(0, 0, width, height);
  const raw = { data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), width, height, channels: 4 as const };
  return { bytes: await jpeg(fromRaw(raw).removeAlpha(), 88), ext: 'jpg' };
}
