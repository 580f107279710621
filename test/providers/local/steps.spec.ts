import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { charExtents } from '../../../src/providers/local/engine/char-extents.ts';
import { ctcDecode } from '../../../src/providers/local/engine/recognize.ts';
import { toCanonicalCard } from '../../../src/providers/local/pipeline/canonical.ts';
import { decodeImage } from '../../../src/providers/local/pipeline/decode.ts';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH, findCardQuad } from '../../../src/providers/local/pipeline/find-card.ts';
import { distance, type Point } from '../../../src/providers/local/pipeline/geometry.ts';
import { estimateSkew, shouldLevel, textRunsVertically } from '../../../src/providers/local/pipeline/orientation.ts';
import { applyHomography, homography } from '../../../src/providers/local/pipeline/perspective.ts';
import { createRaster, levelLines, rotateQuarter, type Raster } from '../../../src/providers/local/pipeline/raster.ts';
import { findPhoto } from '../../../src/providers/local/pipeline/photo.ts';
import { generateFamilyCard } from '../../../tools/synthetic-ktp/index.ts';

const fixture = async (path: string) => {
  const bytes = new Uint8Array(await readFile(new URL(`../../fixtures/cards/${path}`, import.meta.url)));
  return decodeImage(bytes, path.endsWith('.png') ? 'png' : 'jpeg');
};
const degrees = (p: Point, q: Point) => (Math.atan2(q[1] - p[1], q[0] - p[0]) * 180) / Math.PI;

describe('quarter turns', () => {
  it('turns clockwise exactly, and four turns are the identity', () => {
    // 2 x 1: pixel values 1 (left) and 2 (right) in the red channel.
    const src: Raster = { width: 2, height: 1, data: Uint8Array.of(1, 0, 0, 2, 0, 0) };
    const cw = rotateQuarter(src, 1);
    expect([cw.width, cw.height, cw.data[0], cw.data[3]]).toEqual([1, 2, 1, 2]); // left went to the top
    const half = rotateQuarter(src, 2);
    expect([half.data[0], half.data[3]]).toEqual([2, 1]);
    let r = src;
    for (let i = 0; i < 4; i++) r = rotateQuarter(r, 1);
    expect(r).toEqual(src);
  });

  it('sees text running top-to-bottom from the boxes’ long axes', () => {
    const line = (angle: number) => ({ width: 200, height: 20, angle, elongation: 10 });
    expect(textRunsVertically([line(89), line(-88), line(90), line(1)])).toBe(true);
    expect(textRunsVertically([line(0), line(2), line(-1), line(89)])).toBe(false);
    // Blobs (the photo, dots) do not vote.
    expect(textRunsVertically([{ width: 50, height: 300, angle: 90, elongation: 1.5 }, line(0)])).toBe(false);
  });
});

describe('skew', () => {
  it('is the length-weighted median of the line directions, ignoring wild ones', () => {
    const line = (angle: number, width = 300) => ({ width, height: 20, angle, elongation: 12 });
    expect(estimateSkew([line(3), line(3.2), line(2.9), line(40), line(-30, 50)])).toBeCloseTo(3, 0);
    expect(estimateSkew([line(3)])).toBe(0);
    expect(shouldLevel(0.3)).toBe(false);
    expect(shouldLevel(-3)).toBe(true);
    expect(shouldLevel(30)).toBe(false);
  });

  it('levels a line drawn at 3 degrees', () => {
    const img = createRaster(400, 200, 255);
    const slope = Math.tan((3 * Math.PI) / 180);
    for (let x = 20; x < 380; x++) {
      const y = Math.round(100 + (x - 200) * slope);
      for (let dy = -1; dy <= 1; dy++) img.data.fill(0, ((y + dy) * 400 + x) * 3, ((y + dy) * 400 + x) * 3 + 3);
    }
    const level = levelLines(img, 3);
    const darkestRow = (x: number) => {
      let best = 0;
      for (let y = 0; y < 200; y++) if (level.data[(y * 400 + x) * 3]! < level.data[(best * 400 + x) * 3]!) best = y;
      return best;
    };
    expect(Math.abs(darkestRow(60) - darkestRow(340))).toBeLessThanOrEqual(1);
  });
});

describe('perspective', () => {
  it('maps the four corners where asked', () => {
    const from: Point[] = [[10, 20], [300, 5], [320, 210], [0, 190]];
    const to: Point[] = [[0, 0], [999, 0], [999, 629], [0, 629]];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const [x, y] = applyHomography(h, p);
      expect(x).toBeCloseTo(to[i]![0], 6);
      expect(y).toBeCloseTo(to[i]![1], 6);
    });
  });
});

describe('finding the card', () => {
  it('finds the card on a table in a perspective photo and crops it to the canonical size', async () => {
    const photo = await fixture('ktp-09001/photo.jpg');
    const quad = findCardQuad(photo)!;
    expect(quad).not.toBeNull();
    const [tl, tr, br, bl] = quad;
    // The card sits well inside the 1200x900 frame, landscape, with a card-like aspect.
    expect(tl![0]).toBeGreaterThan(50);
    expect(br![1]).toBeLessThan(photo.height - 5);
    const aspect = (distance(tl!, tr!) + distance(bl!, br!)) / (distance(tl!, bl!) + distance(tr!, br!));
    expect(aspect).toBeGreaterThan(1.3);
    expect(aspect).toBeLessThan(1.9);
    const card = toCanonicalCard(photo);
    expect(card).toMatchObject({ cardFound: true, quarterTurned: false });
    expect([card.image.width, card.image.height]).toEqual([CANONICAL_WIDTH, CANONICAL_HEIGHT]);
  });

  it('finds the 2-4 degree tilt of a rotated scan in the card’s outline and undoes it', async () => {
    const rotated = await fixture('ktp-09001/rotated.jpg');
    const [tl, tr] = findCardQuad(rotated)!;
    const tilt = Math.abs(degrees(tl!, tr!));
    expect(tilt).toBeGreaterThan(1.5);
    expect(tilt).toBeLessThan(5);
    expect(toCanonicalCard(rotated).image.width).toBe(CANONICAL_WIDTH);
  });

  it('remembers how wide the card was in the source, so a small photo is not detected at the canonical size', async () => {
    const small = await fixture('ktp-09001/w640.jpg');
    const card = toCanonicalCard(small);
    expect(card.image.width).toBe(CANONICAL_WIDTH);
    expect(card.sourceLongSide).toBeGreaterThan(560);
    expect(card.sourceLongSide).toBeLessThanOrEqual(small.width + 1);
    const photo = toCanonicalCard(await fixture('ktp-09001/photo.jpg'));
    // The card fills part of a 1200 px frame: its side is its own, not the frame's.
    expect(photo.sourceLongSide).toBeGreaterThan(500);
    expect(photo.sourceLongSide).toBeLessThan(1150);
  });

  it('turns a card lying on its side to landscape', async () => {
    const card = toCanonicalCard(await fixture('ktp-09010/rot90.jpg'));
    expect(card).toMatchObject({ cardFound: true, quarterTurned: true });
    expect([card.image.width, card.image.height]).toEqual([CANONICAL_WIDTH, CANONICAL_HEIGHT]);
  });

  it('finds an orange WNA card photographed on a table', async () => {
    // Phone family, seed 1: a WNA card (tools/synthetic-ktp/families.ts).
    const card = generateFamilyCard(1, 'phone');
    expect(card.truth.nationnality).not.toBe('WNI');
    const photo = await decodeImage(new Uint8Array((await card.render()).bytes), 'jpeg');
    const quad = findCardQuad(photo);
    expect(quad).not.toBeNull();
    const [tl, tr, br, bl] = quad!;
    const aspect = (distance(tl!, tr!) + distance(bl!, br!)) / (distance(tl!, bl!) + distance(tr!, br!));
    expect(aspect).toBeGreaterThan(1.3);
    expect(aspect).toBeLessThan(1.9);
  });

  it('finds no card on a shop receipt and keeps the whole frame', async () => {
    const receipt = await fixture('ktp-09185/not-a-ktp.jpg');
    expect(findCardQuad(receipt)).toBeNull();
    expect(toCanonicalCard(receipt)).toMatchObject({ cardFound: false, quarterTurned: false });
  });
});

describe('CTC decoding and character extents', () => {
  it('collapses repeats, drops blanks and keeps each character’s time steps', () => {
    const dictionary = ['A', 'B'];
    // steps: A A blank B B A  (class 0 blank, 1 'A', 2 'B')
    const argmax = [1, 1, 0, 2, 2, 1];
    const probs = new Float32Array(argmax.length * 3);
    argmax.forEach((c, t) => (probs[t * 3 + c] = 0.9));
    const decoded = ctcDecode(probs, argmax.length, 3, dictionary);
    expect(decoded.text).toBe('ABA');
    expect(decoded.chars.map((c) => [c.first, c.last])).toEqual([[0, 1], [3, 4], [5, 5]]);
    expect(decoded.score).toBeCloseTo(0.9, 5);
  });

  it('keeps the best runner-up character over a run, never the blank, and none when it is noise', () => {
    const dictionary = ['0', '8', 'A'];
    // steps (classes: blank, '0', '8', 'A'): '0' twice, '8' close behind on the second step; then
    // 'A' with only noise beside it. The blank's share is never a runner-up.
    const rows = [
      [0.3, 0.6, 0.1, 0.0],
      [0.0, 0.55, 0.45, 0.0],
      [0.9, 0.05, 0.05, 0.0],
      [0.3, 0.0, 0.005, 0.695],
    ];
    const decoded = ctcDecode(new Float32Array(rows.flat()), rows.length, 4, dictionary);
    expect(decoded.text).toBe('0A');
    expect(decoded.chars[0]!.alternative).toEqual({ char: '8', score: expect.closeTo(0.45, 5) });
    expect(decoded.chars[1]!.alternative).toBeUndefined();
  });

  it('keeps a dot it nearly emitted after a letter, with its doubt as its score, and adds none between digits', () => {
    const dictionary = ['J', 'L', '.', 'C', '1', '2'];
    // classes: blank, 'J', 'L', '.', 'C', '1', '2'. `JL` then blanks where the dot's class climbs
    // to 0.3 (a dot blur thinned), then `C`; then `1`, blanks with the same climb, `2`; then `C`,
    // blanks where the dot stays at noise, `C`.
    const step = (cls: number, p: number, dot = 0) => {
      const row = new Array(7).fill(0);
      row[cls] = p;
      row[3] += dot;
      row[0] += 1 - p - dot;
      return row;
    };
    const rows = [
      step(1, 0.9), step(2, 0.9), step(0, 0.7, 0.3), step(0, 0.9, 0.1), step(4, 0.9),
      step(5, 0.9), step(0, 0.7, 0.3), step(6, 0.9),
      step(4, 0.9), step(0, 0.95, 0.05), step(4, 0.9),
    ];
    const decoded = ctcDecode(new Float32Array(rows.flat()), rows.length, 7, dictionary);
    expect(decoded.text).toBe('JL.C12CC');
    expect(decoded.chars[2]).toMatchObject({ char: '.', first: 2, last: 2, score: expect.closeTo(0.3, 5) });
  });

  it('emits a character the recogniser spread over its look-alikes, alone between blanks, and never doubles a run', () => {
    const dictionary = ['l', '1', '3'];
    // classes: blank, 'l', '1', '3'. Blank, then a step where `l` 0.29 and `1` 0.19 together
    // outweigh the blank's 0.33 (OCR-A's 1), blank, `3`; then `1`, a step of the same spread
    // right after it (the same stroke, no new character), blank, `3`; then a blank step where the
    // look-alikes stay at noise.
    const rows = [
      [1, 0, 0, 0], [0.33, 0.29, 0.19, 0.19], [1, 0, 0, 0], [0.1, 0, 0, 0.9],
      [1, 0, 0, 0], [0.1, 0, 0.9, 0], [0.33, 0.29, 0.19, 0.19], [1, 0, 0, 0], [0.1, 0, 0, 0.9],
      [0.9, 0.05, 0.05, 0], [1, 0, 0, 0],
    ];
    const decoded = ctcDecode(new Float32Array(rows.flat()), rows.length, 4, dictionary);
    expect(decoded.text).toBe('l313');
    expect(decoded.chars[0]).toMatchObject({ char: 'l', first: 1, last: 1, score: expect.closeTo(0.29, 5), alternative: { char: '1' } });
  });

  it('puts the widest blank run between two centres as the gap, so word gaps stand out', () => {
    // "AB CD": glyphs 8 px wide, 2 px apart inside a word, 9 px between the words.
    const ink = new Uint16Array(60);
    const glyphs = [[2, 10], [12, 20], [29, 37], [39, 47]];
    for (const [a, b] of glyphs) ink.fill(5, a, b);
    const extents = charExtents(ink, glyphs.map(([a, b]) => (a! + b!) / 2 + 1));
    expect(extents).toEqual(glyphs.map(([x0, x1]) => ({ x0, x1 })));
    const gaps = extents.slice(1).map((e, i) => e.x0 - extents[i]!.x1);
    expect(gaps).toEqual([2, 9, 2]);
  });

  it('gives touching glyphs a zero gap at the faintest column', () => {
    const ink = Uint16Array.from([0, 4, 5, 5, 1, 5, 5, 4, 0]);
    expect(charExtents(ink, [2, 6])).toEqual([{ x0: 1, x1: 4 }, { x0: 4, x1: 8 }]);
  });
});

describe('finding the photo block', () => {
  it('finds the photo of a card from its pixels, whatever template drew it', async () => {
    // The classic renderer draws the photo at about x 768, y 120, 186 x 240 of 1000 x 630.
    const card = toCanonicalCard(await fixture('ktp-09001/clean.png'));
    const photo = findPhoto(card.image)!;
    expect(photo.x).toBeGreaterThan(740);
    expect(photo.x).toBeLessThan(790);
    expect(photo.width).toBeGreaterThan(160);
    expect(photo.height).toBeGreaterThan(200);
    // A dejavu-family card draws it elsewhere.
    const other = toCanonicalCard(await decodeImage(new Uint8Array((await generateFamilyCard(3, 'dejavu').render()).bytes), 'png'));
    const found = findPhoto(other.image);
    expect(found).not.toBeNull();
    expect(found!.x).toBeLessThan(740);
  });

  it('finds no photo on a blank card', () => {
    expect(findPhoto(createRaster(1000, 631, 220))).toBeNull();
  });
});
