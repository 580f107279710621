import { describe, expect, it } from 'vitest';
import { inkRuns, swallowedRuns } from '../../../src/providers/local/engine/ink-runs.ts';

const columns = (profile: string) => Uint16Array.from([...profile].map((c) => (c === '#' ? 5 : 0)));

describe('inkRuns: the separate pieces of ink along a line', () => {
  it('finds each stretch of inked columns between blank ones, the last one included', () => {
    expect(inkRuns(columns('..###..##...####'), 10)).toEqual([
      { x0: 2, x1: 5 },
      { x0: 7, x1: 9 },
      { x0: 12, x1: 16 },
    ]);
  });

  it('leaves out specks narrower than 8 % of the line height', () => {
    expect(inkRuns(columns('#..####..#'), 40)).toEqual([{ x0: 3, x1: 7 }]);
  });

  it('finds nothing on a blank crop', () => {
    expect(inkRuns(columns('......'), 10)).toEqual([]);
  });
});

describe('swallowedRuns: the pieces of ink one character holds, when it holds two or more', () => {
  const runs = [
    { x0: 0, x1: 16 },
    { x0: 24, x1: 40 },
    { x0: 48, x1: 64 },
  ];

  it('names the pieces a character merged from two glyphs holds', () => {
    expect(swallowedRuns({ char: '6', x0: 24, x1: 64 }, runs)).toEqual([runs[1], runs[2]]);
  });

  it('allows a pixel of slack at either edge of the extent', () => {
    expect(swallowedRuns({ char: '6', x0: 25, x1: 63 }, runs)).toHaveLength(2);
  });

  it('is empty for a character over one piece, and for a space', () => {
    expect(swallowedRuns({ char: '1', x0: 0, x1: 16 }, runs)).toEqual([]);
    expect(swallowedRuns({ char: ' ', x0: 0, x1: 64 }, runs)).toEqual([]);
  });
});
