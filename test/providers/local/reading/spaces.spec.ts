import { describe, expect, it } from 'vitest';
import { lineGlyphs } from '../../../../src/providers/local/reading/glyphs.ts';
import {
  gapKinds,
  restoreSpaces,
  separateAddressTokens,
  separateNameTokens,
  UNSURE_NONE,
  UNSURE_SPACE,
} from '../../../../src/providers/local/reading/spaces.ts';
import { engineLine } from './engine-page.ts';

const asEngineReadsIt = (printed: string, size = 21) => lineGlyphs(engineLine([{ text: printed, x: 241 }], { y: 0, size }));

describe('restoreSpaces', () => {
  it.each(['MARIA THERESIA', 'SEUMUR HIDUP', 'BELUM KAWIN', 'KOMANG SUTRISNO MAULANA', 'HULU SUNGAI TENGAH'])(
    'puts back the spaces the engine dropped in %s',
    (printed) => {
      expect(asEngineReadsIt(printed).map((g) => g.char).join('')).not.toContain(' ');
      expect(restoreSpaces(asEngineReadsIt(printed))).toBe(printed);
    },
  );

  it('does not split words whose narrow letters sit close together', () => {
    expect(restoreSpaces(asEngineReadsIt('TUKANG LISTRIK'))).toBe('TUKANG LISTRIK');
    expect(restoreSpaces(asEngineReadsIt('ILIR TIMUR II'))).toBe('ILIR TIMUR II');
  });

  it('scales with the size of the print', () => {
    expect(restoreSpaces(asEngineReadsIt('KEBAYORAN BARU', 12))).toBe('KEBAYORAN BARU');
    expect(restoreSpaces(asEngineReadsIt('KEBAYORAN BARU', 40))).toBe('KEBAYORAN BARU');
  });

  it('keeps a space the engine did print', () => {
    const glyphs = lineGlyphs(engineLine([{ text: 'GG. MAWAR', x: 0 }], { y: 0, keepSpaces: true }));
    expect(restoreSpaces(glyphs)).toBe('GG. MAWAR');
  });

  it('never spaces a slash, a dash or the front of a comma', () => {
    expect(restoreSpaces(asEngineReadsIt('006/003'))).toBe('006/003');
    expect(restoreSpaces(asEngineReadsIt('LAKI-LAKI'))).toBe('LAKI-LAKI');
    expect(restoreSpaces(asEngineReadsIt('BUDI, S.E.'))).toBe('BUDI, S.E.');
  });

  it('returns an empty string for nothing', () => {
    expect(restoreSpaces([])).toBe('');
  });
});

/** A marked text as markedText gives it: `~` an unsure gap guessed a space, `_` one guessed none. */
const marked = (s: string) => s.replaceAll('~', UNSURE_SPACE).replaceAll('_', UNSURE_NONE);

describe('gapKinds', () => {
  /** Two characters of a 21 px line (box 23.1 high) with the gap between them at `ratio` line heights past the typical gap. */
  function pair(ratio: number, [before, after] = ['A', 'B']) {
    const h = 23.1;
    const row = [0, 1, 2, 3].map((i) => ({ char: before!, x0: i * 20, x1: i * 20 + 18, y0: 0, y1: h, score: 0.99, breakBefore: i === 0 }));
    const last = row[3]!;
    const gap = 2 + ratio * h;
    row.push({ char: after!, x0: last.x1 + gap, x1: last.x1 + gap + 18, y0: 0, y1: h, score: 0.99, breakBefore: false });
    return row;
  }

  it('puts the space threshold at 0.15 line heights past the typical gap, and is sure only well away from it', () => {
    // 0.6x and 1.4x the threshold would move these decisions (the mutation check relies on them).
    expect(restoreSpaces(pair(0.11))).toBe('AAAA B'.replace(' ', ''));
    expect(restoreSpaces(pair(0.13))).toBe('AAAAB');
    expect(restoreSpaces(pair(0.17))).toBe('AAAA B');
    expect(restoreSpaces(pair(0.2))).toBe('AAAA B');
    expect(gapKinds(pair(0.05)).at(-1)).toBe('none');
    expect(gapKinds(pair(0.13)).at(-1)).toBe('unsure-none');
    expect(gapKinds(pair(0.17)).at(-1)).toBe('unsure-space');
    expect(gapKinds(pair(0.3)).at(-1)).toBe('space');
  });

  it('between two digits, takes only a sure gap for a space: a narrow 1 has wide side bearings', () => {
    expect(gapKinds(pair(0.185, ['1', '1'])).at(-1)).toBe('unsure-none');
    expect(restoreSpaces(pair(0.185, ['1', '1']))).toBe('11111');
    expect(restoreSpaces(pair(0.3, ['1', '7']))).toBe('1111 7');
    // Beside a letter the threshold's guess stands.
    expect(restoreSpaces(pair(0.185, ['A', '5']))).toBe('AAAA 5');
  });
});

describe('separateAddressTokens', () => {
  it('settles unsure gaps after street abbreviations as spaces', () => {
    expect(separateAddressTokens(marked('JL._MERDEKA GG._SUDIRMAN NO._1'))).toBe('JL. MERDEKA GG. SUDIRMAN NO. 1');
    expect(separateAddressTokens(marked('PERUM GRIYA ASRI_BLOK_A5 NO. 3'))).toBe('PERUM GRIYA ASRI BLOK A5 NO. 3');
    expect(separateAddressTokens(marked('KP._SUKAMAJU'))).toBe('KP. SUKAMAJU');
    expect(separateAddressTokens(marked('DUSUN_SUKAMAJU'))).toBe('DUSUN SUKAMAJU');
  });

  it('never adds a character: JL DIMANA NO 100 stays without dots', () => {
    expect(separateAddressTokens(marked('JL~DIMANA NO_100'))).toBe('JL DIMANA NO 100');
  });

  it('leaves sure gaps alone, and unsure ones elsewhere to the geometry', () => {
    expect(separateAddressTokens(marked('DUSUN KRAJAN'))).toBe('DUSUN KRAJAN');
    expect(separateAddressTokens(marked('JL. SUTRI_SNO'))).toBe('JL. SUTRISNO');
    expect(separateAddressTokens(marked('JL. MAWAR~NO. 5'))).toBe('JL. MAWAR NO. 5');
  });
});

describe('separateNameTokens', () => {
  it('settles unsure gaps after honorifics as spaces, inside degrees as none', () => {
    expect(separateNameTokens(marked('DR._IR._H._BUDI SANTOSO,_S.E.,_M.M.'))).toBe('DR. IR. H. BUDI SANTOSO, S.E., M.M.');
    expect(separateNameTokens(marked('YUSUF SIMANJUNTAK, S.~SOS'))).toBe('YUSUF SIMANJUNTAK, S.SOS');
    expect(separateNameTokens(marked('H. MICHAEL HALIM, S.~FARM., APT'))).toBe('H. MICHAEL HALIM, S.FARM., APT');
  });

  it('never turns a dot into a comma or adds a dot', () => {
    expect(separateNameTokens(marked('RAHMAWATI. S.SOS'))).toBe('RAHMAWATI. S.SOS');
    expect(separateNameTokens(marked('PROF_DR. BUDI'))).toBe('PROFDR. BUDI');
  });
});
