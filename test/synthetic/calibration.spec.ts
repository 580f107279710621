/**
 * The confidence calibration's pieces: the fit (deterministic, weights on the raw features), the
 * reliability figures the benchmark prints, and the committed calibration, which must have been
 * fitted on tuning ranges only.
 */
import { describe, expect, it } from 'vitest';
import { RANGES } from '../../bench/ranges.ts';
import { reliability } from '../../bench/support/reliability.ts';
import model from '../../src/providers/local/reading/calibration.json' with { type: 'json' };
import { FIELD_GROUPS } from '../../src/providers/local/reading/evidence.ts';
import { HELD_OUT_FAMILY } from '../../tools/synthetic-ktp/index.ts';
import { fitLogistic, type Row } from '../../tools/calibrate/logistic.ts';

/** y is 1 where x0 > 1, flipped on every seventh row so the classes overlap; x1 is constant. */
const rows: Row[] = Array.from({ length: 200 }, (_, i) => {
  const x0 = (i % 40) / 10;
  const y = (x0 > 1) !== (i % 7 === 0) ? 1 : 0;
  return { x: [x0, 3], y };
});
const p = (fit: { bias: number; weights: number[] }, x: number[]) => 1 / (1 + Math.exp(-(fit.bias + fit.weights.reduce((s, w, j) => s + w * x[j]!, 0))));

describe('fitLogistic', () => {
  it('gives the same weights for the same rows, and a zero weight to a constant feature', () => {
    const fit = fitLogistic(rows, 2);
    expect(fitLogistic(rows, 2)).toEqual(fit);
    expect(fit.weights[1]).toBe(0);
  });

  it('fits the raw features: the chance rises with x0 and crosses one half near the boundary', () => {
    const fit = fitLogistic(rows, 2);
    expect(fit.weights[0]).toBeGreaterThan(0);
    expect(p(fit, [0.2, 3])).toBeLessThan(0.3);
    expect(p(fit, [3.5, 3])).toBeGreaterThan(0.75);
    expect(p(fit, [0.5, 3])).toBeLessThan(0.5);
    expect(p(fit, [1.5, 3])).toBeGreaterThan(0.5);
  });
});

describe('reliability', () => {
  it('buckets fields by confidence and weighs each bucket\'s gap between confidence and share exact', () => {
    const r = reliability([
      { confidence: 0.3, exact: false },
      { confidence: 0.3, exact: true },
      { confidence: 0.96, exact: true },
      { confidence: 0.995, exact: true },
    ]);
    expect(r.buckets.map((b) => b.count)).toEqual([2, 0, 0, 0, 1, 1]);
    // |0.3 - 0.5| * 2, |0.96 - 1|, |0.995 - 1|, over 4 fields.
    expect(r.ece).toBeCloseTo((0.4 + 0.04 + 0.005) / 4, 10);
    expect(r).toMatchObject({ fields: 4, trusted: 2, trustedExact: 2 });
  });
});

describe('the committed calibration', () => {
  it('has a model for every field group', () => {
    for (const group of new Set(Object.values(FIELD_GROUPS))) expect(model.groups).toHaveProperty(group);
  });

  it('was fitted on tuning ranges only: never the held-out family, never a held-out seed', () => {
    expect(model.ranges.length).toBeGreaterThan(0);
    for (const declared of model.ranges) {
      const [, family, first, last] = /^(\w+) (\d+)\.\.(\d+)/.exec(declared)!;
      expect(family).not.toBe(HELD_OUT_FAMILY);
      const inside = RANGES.tuning.some((t) => t.family === family && t.first <= Number(first) && Number(last) <= t.last);
      expect(inside, declared).toBe(true);
    }
  });
});
