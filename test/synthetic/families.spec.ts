import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, FAMILIES, generateFamilyCard, renderDocument } from '../../tools/synthetic-ktp/index.ts';

describe('synthetic KTP renderer families', () => {
  it('lists at least four families, classic among them', () => {
    expect(FAMILIES).toEqual(['classic', 'dejavu', 'phone', 'screenshot', 'scan', 'hardphoto']);
  });

  it('classic is generateCard itself: the fixtures stay byte for byte', async () => {
    const card = generateFamilyCard(9001, 'classic');
    expect(card.id).toBe('ktp-09001');
    expect(card.nikIs16Digits).toBe(true);
  });

  it.each(['dejavu', 'phone', 'screenshot', 'scan', 'hardphoto'] as const)('%s: same seed, same truth and bytes; another family, another card', async (family) => {
    const a = generateFamilyCard(7, family);
    const b = generateFamilyCard(7, family);
    expect(a.truth).toEqual(b.truth);
    const [ia, ib] = await Promise.all([a.render(), b.render()]);
    expect(ia.bytes.equals(ib.bytes)).toBe(true);
    expect(generateFamilyCard(7, 'classic').truth.id).not.toBe(a.truth.id);
  });

  it.each([
    ['dejavu', 720, 1000],
    ['phone', 1600, 1800],
    ['screenshot', 1400, 1900],
    ['scan', 1150, 1700],
  ] as const)('%s: images %i to %i px wide', async (family, min, max) => {
    for (const seed of [1, 2]) {
      const { bytes } = await generateFamilyCard(seed, family).render();
      const { width } = await sharp(bytes).metadata();
      expect(width).toBeGreaterThanOrEqual(min);
      expect(width).toBeLessThanOrEqual(max);
    }
  });

  it('hardphoto: a 1200x900 frame, some of them turned by a quarter, JPEG', async () => {
    const sizes = new Set<string>();
    for (const seed of [1, 2, 9, 10]) {
      const { bytes, ext } = await generateFamilyCard(seed, 'hardphoto').render();
      const { width, height, format } = await sharp(bytes).metadata();
      expect([ext, format]).toEqual(['jpg', 'jpeg']);
      sizes.add(`${width}x${height}`);
    }
    expect([...sizes].sort()).toEqual(['1200x900', '900x1200']);
  });

  it('hardphoto: its truth is what the drawing family prints, quirks and all, never a scan', () => {
    const cards = Array.from({ length: 60 }, (_, i) => generateFamilyCard(i + 1, 'hardphoto'));
    // Drawn by the classic renderer (plain values) and by the others (their quirks).
    expect(cards.filter((c) => c.truth.dob.includes('/') || c.truth.gender === 'MALE' || c.truth.gender === 'FEMALE').length).toBeGreaterThan(0);
    expect(cards.filter((c) => /^\d{16}$/.test(c.truth.id) && c.nikIs16Digits).length).toBeGreaterThan(40);
    for (const c of cards) {
      expect(c.id).toMatch(/^hardphoto-\d{5}$/);
      expect(c.truth.id).toBeTruthy();
      expect(c.truth.name).toBeTruthy();
    }
    // Not the phone family's cards photographed again: another identity for the same seed.
    expect(generateFamilyCard(7, 'hardphoto').truth.id).not.toBe(generateFamilyCard(7, 'phone').truth.id);
  });

  it('prints what other generators print: malformed and inconsistent NIKs, free-text occupations, slash dates, off-format values, WNA cards', () => {
    const truths = (['dejavu', 'phone', 'screenshot', 'scan'] as const).flatMap((family) =>
      Array.from({ length: 60 }, (_, i) => generateFamilyCard(i + 1, family)),
    );
    const some = (test: (c: (typeof truths)[number]) => boolean) => truths.filter(test).length;
    expect(some((c) => !c.nikIs16Digits && /^\d{12}$|^\d{14}$/.test(c.truth.id))).toBeGreaterThan(0);
    expect(some((c) => /X{8}/.test(c.truth.id))).toBeGreaterThan(0);
    expect(some((c) => ['PEGAWAI SWASTA', 'SWASTA', 'PETANI', 'TIDAK BEKERJA'].includes(c.truth.work))).toBeGreaterThan(0);
    expect(some((c) => c.truth.dob.includes('/'))).toBeGreaterThan(0);
    expect(some((c) => c.truth.gender === 'MALE' || c.truth.gender === 'FEMALE')).toBeGreaterThan(0);
    expect(some((c) => c.truth.nationnality === 'INDONESIA')).toBeGreaterThan(0);
    expect(some((c) => / /.test(c.truth.valid_until ?? '') && c.truth.valid_until !== 'SEUMUR HIDUP')).toBeGreaterThan(0);
    const wna = truths.filter((c) => !['WNI', 'INDONESIA'].includes(c.truth.nationnality));
    expect(wna.length).toBeGreaterThan(0);
    for (const c of wna) expect(c.truth.valid_until).toMatch(/^\d{2}-\d{2}- ?\d{4}$/);
  });

  it.each(DOCUMENTS)('draws a %s deterministically', async (kind) => {
    const [a, b] = await Promise.all([renderDocument(kind, 3), renderDocument(kind, 3)]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect((await sharp(a.bytes).metadata()).format).toBe('jpeg');
  });
});
