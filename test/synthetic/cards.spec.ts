import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_VARIANTS,
  CARD_HEIGHT,
  CARD_WIDTH,
  VARIANTS,
  generateCard,
  generateSet,
  loadRegions,
} from '../../tools/synthetic-ktp/index.ts';
import type { RenderedImage, Variant } from '../../tools/synthetic-ktp/index.ts';
import { printedRegency } from '../../tools/synthetic-ktp/regions.ts';
import { BLOOD_TYPES, GENDERS, MARITAL, OCCUPATIONS, RELIGIONS } from '../../tools/synthetic-ktp/truth.ts';

const FIXTURES = new URL('../fixtures/cards/', import.meta.url).pathname;

/** Mean absolute difference per channel between two same-sized RGB images, on 200 px wide thumbnails. */
async function meanDiff(a: sharp.Sharp, b: sharp.Sharp): Promise<number> {
  const thumb = (s: sharp.Sharp) => s.removeAlpha().resize(200, 126, { fit: 'fill' }).raw().toBuffer();
  const [x, y] = await Promise.all([thumb(a), thumb(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/** Decodes our own 24-bit bottom-up BMP into raw RGB. */
function decodeBmp(buf: Buffer): { width: number; height: number; bpp: number; rgb: Buffer } {
  expect(buf.toString('ascii', 0, 2)).toBe('BM');
  expect(buf.readUInt32LE(2)).toBe(buf.length);
  const offset = buf.readUInt32LE(10);
  expect(buf.readUInt32LE(14)).toBe(40);
  const width = buf.readInt32LE(18);
  const height = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  expect(buf.readUInt32LE(30)).toBe(0);
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  expect(buf.length).toBe(offset + rowSize * height);
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = offset + (height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      rgb[(y * width + x) * 3] = buf[src + x * 3 + 2]!;
      rgb[(y * width + x) * 3 + 1] = buf[src + x * 3 + 1]!;
      rgb[(y * width + x) * 3 + 2] = buf[src + x * 3]!;
    }
  }
  return { width, height, bpp, rgb };
}

describe('synthetic KTP: determinism', () => {
  it('gives the same truth and the same clean bytes for the same seed', async () => {
    const a = generateCard(4242);
    const b = generateCard(4242);
    expect(a.id).toBe('ktp-04242');
    expect(b.truth).toEqual(a.truth);
    const [ia, ib] = await Promise.all([a.render('clean'), b.render('clean')]);
    expect(ia.bytes.equals(ib.bytes)).toBe(true);
    // Variant order does not matter: each variant has its own random stream.
    const [pa, pb] = await Promise.all([a.render('photo'), generateCard(4242).render('photo')]);
    expect(pa.bytes.equals(pb.bytes)).toBe(true);
  });

  it('gives different cards for different seeds', () => {
    const ids = new Set(Array.from({ length: 50 }, (_, i) => generateCard(i + 1).truth.id));
    expect(ids.size).toBe(50);
  });
});

describe('synthetic KTP: truth follows the rules', () => {
  const regions = loadRegions();
  const cards = Array.from({ length: 300 }, (_, i) => generateCard(i + 1));
  const date = /^(\d{2})-(\d{2})-(\d{4})$/;
  const ord = (s: string) => {
    const m = date.exec(s);
    if (!m) throw new Error(`not a date: ${s}`);
    return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  };

  it('has a NIK that matches the region tables, the birth date and the gender (+40 rule)', () => {
    for (const { truth: t } of cards) {
      expect(t.id).toMatch(/^\d{16}$/);
      const [pp, kk, cc, dd, mm, yy, ssss] = [0, 2, 4, 6, 8, 10, 12].map((i, k, a) => t.id.slice(i, a[k + 1] ?? 16));
      const province = regions.provinceByCode.get(pp!);
      const regency = regions.regencyByCode.get(`${pp}.${kk}`);
      const district = regions.districtByCode.get(`${pp}.${kk}.${cc}`);
      expect(province?.name).toBe(t.province);
      expect(regency && printedRegency(regency)).toBe(t.city);
      expect(district?.name.toUpperCase()).toBe(t.district);
      expect(regions.villagesByDistrict.get(`${pp}.${kk}.${cc}`)?.map((v) => v.toUpperCase())).toContain(t.village);
      if (Number(kk) >= 71) expect(t.city).toMatch(pp === '31' ? /^JAKARTA / : /^KOTA /);
      else expect(t.city).toMatch(pp === '31' ? /^KEPULAUAN SERIBU$/ : /^KABUPATEN /);

      const [d, m, y] = t.dob.split('-').map(Number) as [number, number, number];
      const female = t.gender === 'PEREMPUAN';
      expect(Number(dd)).toBe(d + (female ? 40 : 0));
      expect(Number(mm)).toBe(m);
      expect(Number(yy)).toBe(y % 100);
      expect(ssss).not.toBe('0000');
      // A real calendar day.
      expect(new Date(Date.UTC(y, m - 1, d)).getUTCDate()).toBe(d);
    }
  });

  it('uses the closed vocabularies and consistent dates', () => {
    for (const { truth: t } of cards) {
      expect(GENDERS).toContain(t.gender);
      expect(RELIGIONS).toContain(t.religion);
      expect(MARITAL).toContain(t.marital_status);
      expect(OCCUPATIONS).toContain(t.work);
      expect(BLOOD_TYPES).toContain(t.blood_type);
      expect(t.nationnality).toBe('WNI');
      expect(t.rt).toMatch(/^\d{3}$/);
      expect(t.rw).toMatch(/^\d{3}$/);
      expect(t.dob).toMatch(date);
      expect(t.issue_date).toMatch(date);
      // Holder is at least 17 at issue, and the card was issued by the regency in the header.
      expect(ord(t.issue_date!) - ord(t.dob)).toBeGreaterThan(17 * 365.25 * 86400000);
      expect(t.city.endsWith(t.issue_city!)).toBe(true);
      if (t.valid_until !== 'SEUMUR HIDUP') expect(ord(t.valid_until!)).toBeGreaterThan(ord(t.issue_date!));
      for (const v of Object.values(t)) {
        expect(v).toBe(String(v).trim());
        expect(v).not.toMatch(/ {2}|[a-z]/);
      }
    }
  });

  it('varies like real cards: women, dated cards, unknown blood types, long names', () => {
    const share = (f: (c: (typeof cards)[number]) => boolean) => cards.filter(f).length / cards.length;
    expect(share((c) => c.truth.gender === 'PEREMPUAN')).toBeGreaterThan(0.35);
    expect(share((c) => c.truth.valid_until !== 'SEUMUR HIDUP')).toBeGreaterThan(0.05);
    expect(share((c) => c.truth.valid_until !== 'SEUMUR HIDUP')).toBeLessThan(0.3);
    expect(share((c) => c.truth.blood_type === '-')).toBeGreaterThan(0.2);
    expect(share((c) => c.truth.name.length > 32)).toBeGreaterThan(0.02);
    expect(share((c) => c.truth.address.length > 40)).toBeGreaterThan(0.05);
  });
});

describe('synthetic KTP: variants', () => {
  const card = generateCard(4343);
  const images = new Map<Variant, RenderedImage>();
  beforeAll(async () => {
    const rendered = await Promise.all(VARIANTS.map(async (v) => [v, await card.render(v)] as const));
    for (const [v, img] of rendered) images.set(v, img);
  });
  const img = (v: Variant) => images.get(v)!;
  const clean = () => sharp(img('clean').bytes);

  it('lists the six benchmark variants', () => {
    expect([...BENCH_VARIANTS]).toEqual(['clean', 'jpeg-q60', 'rotated', 'blurred', 'w640', 'photo']);
    for (const v of BENCH_VARIANTS) expect(VARIANTS).toContain(v);
  });

  const expected: Partial<Record<Variant, { ext: string; format: string; width: number; height: number }>> = {
    clean: { ext: 'png', format: 'png', width: CARD_WIDTH, height: CARD_HEIGHT },
    'jpeg-q60': { ext: 'jpg', format: 'jpeg', width: CARD_WIDTH, height: CARD_HEIGHT },
    blurred: { ext: 'jpg', format: 'jpeg', width: CARD_WIDTH, height: CARD_HEIGHT },
    w640: { ext: 'jpg', format: 'jpeg', width: 640, height: 403 },
    photo: { ext: 'jpg', format: 'jpeg', width: 1200, height: 900 },
    rot90: { ext: 'jpg', format: 'jpeg', width: CARD_HEIGHT, height: CARD_WIDTH },
    rot180: { ext: 'jpg', format: 'jpeg', width: CARD_WIDTH, height: CARD_HEIGHT },
    rot270: { ext: 'jpg', format: 'jpeg', width: CARD_HEIGHT, height: CARD_WIDTH },
    'exif-rotated': { ext: 'jpg', format: 'jpeg', width: CARD_HEIGHT, height: CARD_WIDTH },
    'not-a-ktp': { ext: 'jpg', format: 'jpeg', width: 900, height: 640 },
  };
  for (const [variant, want] of Object.entries(expected)) {
    it(`${variant} decodes as ${want.format} ${want.width}x${want.height}`, async () => {
      const { bytes, ext } = img(variant as Variant);
      expect(ext).toBe(want.ext);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe(want.format);
      expect([meta.width, meta.height]).toEqual([want.width, want.height]);
      expect(bytes.length).toBeLessThan(2_000_000); // the upstream's size limit
    });
  }

  it('rotated is turned 2-4° on a grown canvas', async () => {
    const meta = await sharp(img('rotated').bytes).metadata();
    const fit = (deg: number) => [
      Math.round(CARD_WIDTH * Math.cos((deg * Math.PI) / 180) + CARD_HEIGHT * Math.sin((deg * Math.PI) / 180)),
      Math.round(CARD_WIDTH * Math.sin((deg * Math.PI) / 180) + CARD_HEIGHT * Math.cos((deg * Math.PI) / 180)),
    ];
    expect(meta.width).toBeGreaterThanOrEqual(fit(2)[0]! - 2);
    expect(meta.width).toBeLessThanOrEqual(fit(4)[0]! + 2);
    expect(meta.height).toBeGreaterThanOrEqual(fit(2)[1]! - 2);
    expect(meta.height).toBeLessThanOrEqual(fit(4)[1]! + 2);
  });

  it('rot90/rot180/rot270 are the clean card turned clockwise by that angle', async () => {
    for (const [v, deg] of [['rot90', 90], ['rot180', 180], ['rot270', 270]] as const) {
      const back = sharp(await sharp(img(v).bytes).rotate(360 - deg).toBuffer());
      // JPEG noise is ~4 on this scale; a wrong turn is ~35.
      expect(await meanDiff(back, clean())).toBeLessThan(8);
    }
    // ...and not upright as stored.
    expect(await meanDiff(sharp(img('rot180').bytes), clean())).toBeGreaterThan(20);
    const wrongWay = sharp(await sharp(img('rot90').bytes).rotate(90).toBuffer());
    expect(await meanDiff(wrongWay, clean())).toBeGreaterThan(20);
  });

  it('exif-rotated is stored sideways with an EXIF orientation that makes it upright', async () => {
    const { bytes } = img('exif-rotated');
    const meta = await sharp(bytes).metadata();
    expect(meta.orientation).toBe(6);
    const upright = await sharp(bytes).rotate().toBuffer({ resolveWithObject: true });
    expect([upright.info.width, upright.info.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    expect(await meanDiff(sharp(upright.data), clean())).toBeLessThan(8);
  });

  it('bmp is a 24-bit BMP of the card, 640 wide', async () => {
    const { bytes, ext } = img('bmp');
    expect(ext).toBe('bmp');
    const bmp = decodeBmp(bytes);
    expect([bmp.width, bmp.height, bmp.bpp]).toEqual([640, 403, 24]);
    const asRaw = sharp(bmp.rgb, { raw: { width: bmp.width, height: bmp.height, channels: 3 } });
    expect(await meanDiff(asRaw, clean())).toBeLessThan(2);
  });

  it('degraded variants still show the card, not-a-ktp does not', async () => {
    for (const v of ['jpeg-q60', 'blurred', 'w640'] as const) {
      expect(await meanDiff(sharp(img(v).bytes), clean())).toBeLessThan(10);
    }
    expect(await meanDiff(sharp(img('not-a-ktp').bytes), clean())).toBeGreaterThan(20);
  });
});

describe('synthetic KTP: generateSet and the committed fixtures', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ktp-cards-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes <out>/<id>/<variant>.<ext> and truth.json', async () => {
    const entries = await generateSet({ seed: 77, count: 2, variants: ['clean', 'bmp'], outDir: dir });
    expect(entries.map((e) => e.id)).toEqual(['ktp-00077', 'ktp-00078']);
    expect((await readdir(join(dir, 'ktp-00078'))).sort()).toEqual(['bmp.bmp', 'clean.png', 'truth.json']);
    const truth = JSON.parse(await readFile(join(dir, 'ktp-00077', 'truth.json'), 'utf8'));
    expect(truth).toEqual(generateCard(77).truth);
  });

  it('has fixtures (seeds 9001, 9010, 9071, 9185) whose truth the generator still produces', async () => {
    for (const seed of [9001, 9010, 9071, 9185]) {
      const card = generateCard(seed);
      const folder = join(FIXTURES, card.id);
      const truth = JSON.parse(await readFile(join(folder, 'truth.json'), 'utf8'));
      expect(truth).toEqual(card.truth);
      for (const f of ['clean.png', 'photo.jpg', 'rotated.jpg', 'w640.jpg']) expect(existsSync(join(folder, f))).toBe(true);
    }
  });
});
