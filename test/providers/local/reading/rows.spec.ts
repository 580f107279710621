import { describe, expect, it } from 'vitest';
import { glyphText } from '../../../../src/providers/local/reading/glyphs.ts';
import { groupRows } from '../../../../src/providers/local/reading/rows.ts';
import { engineLine } from './engine-page.ts';

describe('groupRows', () => {
  it('puts a label, its colon and its value detected as separate boxes on one row, left to right', () => {
    const rows = groupRows({
      width: 1000,
      height: 630,
      lines: [
        engineLine([{ text: 'MARIA', x: 241 }], { y: 173 }),
        engineLine([{ text: ':', x: 226 }], { y: 171 }),
        engineLine([{ text: 'Nama', x: 38 }], { y: 172 }),
      ],
    });
    expect(rows).toHaveLength(1);
    expect(glyphText(rows[0]!.glyphs)).toBe('Nama : MARIA');
  });

  it('keeps neighbouring card rows apart and returns them top to bottom', () => {
    const rows = groupRows({
      width: 1000,
      height: 630,
      lines: [
        engineLine([{ text: 'Agama', x: 38 }], { y: 204.5 }),
        engineLine([{ text: 'Kecamatan', x: 70 }], { y: 172 }),
      ],
    });
    expect(rows.map((r) => glyphText(r.glyphs))).toEqual(['Kecamatan', 'Agama']);
  });

  it('reads ink two overlapping boxes share once: the label box and the value box both read the label’s last n', () => {
    const label = engineLine([{ text: 'StatusPerkawinan', x: 31 }], { y: 413 });
    const lastN = label.chars[label.chars.length - 1]!;
    // The value box starts on that n: `n:KAWIN`, its n where the label's is.
    const value = engineLine([{ text: 'n', x: lastN.x0 - 1 }, { text: ':', x: 227 }, { text: 'KAWIN', x: 242 }], { y: 414 });
    const rows = groupRows({ width: 1000, height: 630, lines: [value, label] });
    expect(glyphText(rows[0]!.glyphs)).toBe('StatusPerkawinan :KAWIN');
  });

  it('keeps the glyphs of a box that starts where the box before it ends', () => {
    const rows = groupRows({
      width: 1000,
      height: 630,
      lines: [engineLine([{ text: 'Nama', x: 38 }], { y: 172 }), engineLine([{ text: 'MARIA', x: 96 }], { y: 172 })],
    });
    expect(glyphText(rows[0]!.glyphs)).toBe('Nama MARIA');
  });

  it('ignores empty lines', () => {
    const blank = { ...engineLine([{ text: 'X', x: 10 }], { y: 10 }), text: ' ', chars: [] };
    expect(groupRows({ width: 1000, height: 630, lines: [blank] })).toEqual([]);
  });
});
