import { describe, expect, it } from 'vitest';
import { readBox } from '../../../src/providers/local/engine/read-page.ts';
import { withNikRereads } from '../../../src/providers/local/engine/nik-rereads.ts';
import type { TextBox } from '../../../src/providers/local/engine/detect.ts';
import type { RecogniseOptions, RecognisedLine } from '../../../src/providers/local/engine/recognize.ts';

/**
 * A recogniser that answers by a key of what it is asked to read (`keyOf`), and records every
 * crop and the horizontal scale it was read at.
 */
function scripted(keyOf: (box: TextBox, scale: number) => number, answers: Record<number, RecognisedLine>) {
  const crops: TextBox[] = [];
  const scales: number[] = [];
  const read = async (box: TextBox, options?: RecogniseOptions) => {
    const scale = options?.scale ?? 1;
    crops.push(box);
    scales.push(scale);
    const line = answers[keyOf(box, scale)];
    if (!line) throw new Error(`no reading scripted for a crop ${box.height} px tall at scale ${scale}`);
    return line;
  };
  return { read, crops, scales };
}
/** Answers by the crop's height. */
const scriptedReader = (byHeight: Record<number, RecognisedLine>) => scripted((box) => Math.round(box.height), byHeight);
/** Answers by the horizontal scale. */
const scaledReader = (byScale: Record<number, RecognisedLine>) => scripted((_box, scale) => scale, byScale);

/** Monospaced print: one piece of ink per character, 24 px apart, 16 px wide. */
const inkOf = (n: number) => Array.from({ length: n }, (_, i) => ({ x0: i * 24, x1: i * 24 + 16 }));
const mono = (text: string, score: number, ink = inkOf(text.length)): RecognisedLine => ({
  score,
  chars: [...text].map((char, i) => ({ char, x0: i * 24, x1: i * 24 + 16, score })),
  inkRuns: ink,
});
/** `1868` read as `16`: the 6 and its extent hold the pieces of ink of `86`. */
const swallowed: RecognisedLine = {
  score: 0.83,
  chars: [
    { char: '1', x0: 0, x1: 16, score: 0.9 },
    { char: '6', x0: 24, x1: 64, score: 0.8 },
    { char: '8', x0: 72, x1: 88, score: 0.8 },
  ],
  inkRuns: inkOf(4),
};
const textOf = (line: RecognisedLine) => line.chars.map((c) => c.char).join('');

const line = (text: string, score: number): RecognisedLine => ({
  score,
  chars: [...text].map((char, i) => ({ char, x0: i * 10, x1: i * 10 + 8, score })),
});

const NIK_BOX: TextBox = { x: 230, y: 118, width: 478, height: 40, score: 0.99, angle: 0, elongation: 30 };

describe('readBox: a doubtful line is read again from a taller crop', () => {
  it('reads a confident line once', async () => {
    const reader = scriptedReader({ 40: line('1601093110860017', 0.95) });
    expect((await readBox(reader.read, NIK_BOX)).score).toBe(0.95);
    expect(reader.crops).toEqual([NIK_BOX]);
  });

  it('reads a doubtful line again, 30 % taller above and below, same columns, and keeps the surer reading', async () => {
    const reader = scriptedReader({ 40: line('601031100001', 0.48), 64: line('1601093110860017', 0.92) });
    const read = await readBox(reader.read, NIK_BOX);
    expect(read.chars.map((c) => c.char).join('')).toBe('1601093110860017');
    expect(reader.crops).toHaveLength(2);
    expect(reader.crops[1]).toEqual({ ...NIK_BOX, y: 106, height: 64 });
  });

  it('keeps the first reading when the taller crop is read with less confidence', async () => {
    const reader = scriptedReader({ 40: line('KEL/DESA', 0.7), 64: line('KEUDESA', 0.6) });
    expect((await readBox(reader.read, NIK_BOX)).chars.map((c) => c.char).join('')).toBe('KEL/DESA');
    expect(reader.crops).toHaveLength(2);
  });

  it('keeps the first reading when the taller crop, surer, has fewer characters: a reread never drops what was read', async () => {
    const reader = scriptedReader({ 40: line(':MANIIS', 0.79), 64: line(':MANIS', 0.92) });
    expect((await readBox(reader.read, NIK_BOX)).chars.map((c) => c.char).join('')).toBe(':MANIIS');
  });

  it('counts printed characters, not spaces, when it compares the two readings', async () => {
    const reader = scriptedReader({ 40: line('KADEK  ANGGRAINI', 0.7), 64: line('KADEK ANGGRAINI', 0.9) });
    expect((await readBox(reader.read, NIK_BOX)).chars.map((c) => c.char).join('')).toBe('KADEK ANGGRAINI');
  });

  it('reads a line at the threshold once: 0.8 is sure enough', async () => {
    const reader = scriptedReader({ 40: line('PEKERJAAN', 0.8) });
    await readBox(reader.read, NIK_BOX);
    expect(reader.crops).toHaveLength(1);
  });
});

describe('readBox: a character holding two pieces of ink is read again at other horizontal scales', () => {
  it('reads a line whose every character has its own piece of ink once', async () => {
    const reader = scaledReader({ 1: mono('1868', 0.95) });
    expect(textOf(await readBox(reader.read, NIK_BOX))).toBe('1868');
    expect(reader.scales).toEqual([1]);
  });

  it('reads a line that swallowed a glyph squeezed and stretched, and keeps the surer reading that finds it', async () => {
    const reader = scaledReader({ 1: swallowed, 0.85: mono('1868', 0.86), 1.2: mono('1868', 0.9), 1.45: mono('1888', 0.84) });
    const read = await readBox(reader.read, NIK_BOX);
    expect(textOf(read)).toBe('1868');
    expect(read.score).toBe(0.9);
    expect(reader.scales).toEqual([1, 0.85, 1.2, 1.45]);
  });

  it('never takes more characters than the crop has pieces of ink', async () => {
    const reader = scaledReader({ 1: swallowed, 0.85: mono('18168', 0.95), 1.2: mono('18681', 0.95), 1.45: mono('1868', 0.5) });
    expect(textOf(await readBox(reader.read, NIK_BOX))).toBe('168');
  });

  it('keeps the first reading when no other scale finds more characters with as much confidence', async () => {
    const reader = scaledReader({ 1: swallowed, 0.85: mono('168', 0.95), 1.2: mono('1868', 0.7), 1.45: mono('16', 0.99) });
    expect(textOf(await readBox(reader.read, NIK_BOX))).toBe('168');
  });

  it('does not count a space as a piece of ink held', async () => {
    const line: RecognisedLine = { ...mono('AB', 0.95), chars: [{ char: ' ', x0: 0, x1: 40, score: 0.95 }] };
    const reader = scaledReader({ 1: line });
    await readBox(reader.read, NIK_BOX);
    expect(reader.scales).toEqual([1]);
  });
});

describe('withNikRereads: a line holding a NIK is read again for the reader to compare', () => {
  it('reads a NIK line three more times, at crops and scales readBox never uses, and keeps the first reading', async () => {
    const first = mono('NIK : 3308062009880011', 0.97);
    const reader = scripted(() => 0, { 0: mono('3308062009880011', 0.95) });
    const read = await withNikRereads(reader.read, NIK_BOX, first);
    expect(read.chars).toEqual(first.chars);
    expect(read.rereads?.map((r) => r.map((c) => c.char).join(''))).toEqual(['3308062009880011', '3308062009880011', '3308062009880011']);
    expect(reader.crops.map((b) => Math.round(b.height))).toEqual([52, 40, 40]);
    expect(reader.scales).toEqual([1, 0.9, 1.1]);
  });

  it('reads a line with fewer digits in a row once: a date or RT/RW is no NIK', async () => {
    const reader = scripted(() => 0, {});
    const date = mono('JAKARTA, 12-05-1990', 0.97);
    expect(await withNikRereads(reader.read, NIK_BOX, date)).toBe(date);
    expect(reader.crops).toEqual([]);
  });
});
