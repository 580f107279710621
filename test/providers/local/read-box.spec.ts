import { describe, expect, it } from 'vitest';
import { readBox } from '../../../src/providers/local/engine/read-page.ts';
import type { TextBox } from '../../../src/providers/local/engine/detect.ts';
import type { RecognisedLine } from '../../../src/providers/local/engine/recognize.ts';

/** A recogniser that answers by the crop's height, and records every crop it was given. */
function scriptedReader(byHeight: Record<number, RecognisedLine>) {
  const crops: TextBox[] = [];
  const read = async (box: TextBox) => {
    crops.push(box);
    const line = byHeight[Math.round(box.height)];
    if (!line) throw new Error(`no reading scripted for a crop ${box.height} px tall`);
    return line;
  };
  return { read, crops };
}

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
