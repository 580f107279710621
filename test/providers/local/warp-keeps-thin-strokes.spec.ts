/**
 * The warp to the canonical card samples the source once per card pixel. From a large image a
 * card is shrunk by 1.5x or more, and a stroke thinner than the sampling step can fall between
 * two samples and vanish: the waist of an OCR-A 8 on a 1600 px screenshot did, and `86` was read
 * as `6`. Every stroke must leave its mark.
 */
import { describe, expect, it } from 'vitest';
import { warpCard } from '../../../src/providers/local/pipeline/canonical.ts';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH } from '../../../src/providers/local/pipeline/find-card.ts';
import { createRaster, type Raster } from '../../../src/providers/local/pipeline/raster.ts';

const PAPER = 235;

/** A light card on a dark table, `scale` times the canonical size, with 1 px strokes across a band of rows. */
function cardWithThinStrokes(scale: number): { image: Raster; strokes: number[]; card: { x: number; y: number; w: number; h: number } } {
  const card = { x: 60, y: 60, w: Math.round(CANONICAL_WIDTH * scale), h: Math.round(CANONICAL_WIDTH * scale / 1.586) };
  const image = createRaster(card.w + 120, card.h + 120, 30);
  for (let y = card.y; y < card.y + card.h; y++) image.data.fill(PAPER, (y * image.width + card.x) * 3, (y * image.width + card.x + card.w) * 3);
  // Strokes half way between where a once-per-pixel warp samples: the worst place for them.
  const strokes: number[] = [];
  for (let k = 200; k < 800; k += 20) strokes.push(card.x + Math.round((k + 0.5) * ((card.w - 1) / (CANONICAL_WIDTH - 1))));
  for (let y = card.y + card.h * 0.4; y < card.y + card.h * 0.6; y++) {
    for (const x of strokes) image.data.fill(0, (Math.floor(y) * image.width + x) * 3, (Math.floor(y) * image.width + x + 1) * 3);
  }
  return { image, strokes, card };
}

describe('the canonical card keeps strokes thinner than its sampling step', () => {
  it.each([1.6, 3])('from a card %sx the canonical size, every 1 px stroke darkens the card', (scale) => {
    const { image, strokes, card } = cardWithThinStrokes(scale);
    const quad: [number, number][] = [
      [card.x, card.y],
      [card.x + card.w - 1, card.y],
      [card.x + card.w - 1, card.y + card.h - 1],
      [card.x, card.y + card.h - 1],
    ];
    const { image: out, toSource } = warpCard(image, quad, CANONICAL_WIDTH, CANONICAL_HEIGHT);
    // The way back still lands on the source's own pixels.
    const [x, y] = toSource([CANONICAL_WIDTH - 1, CANONICAL_HEIGHT - 1]);
    expect(x).toBeCloseTo(card.x + card.w - 1, 0);
    expect(y).toBeCloseTo(card.y + card.h - 1, 0);
    const row = Math.round(out.height / 2);
    const grey = (x: number) => out.data[(row * out.width + x) * 3]!;
    for (let k = 200; k < 800; k += 20) {
      // The darkest pixel near where the stroke lands: at least 40 % of the darkness the stroke has once averaged over a card pixel.
      const darkest = Math.min(...[k - 1, k, k + 1, k + 2].map(grey));
      expect(PAPER - darkest, `stroke at canonical x ${k}`).toBeGreaterThan((PAPER * 0.4) / scale);
    }
    expect(strokes.length).toBe(30);
  });
});
