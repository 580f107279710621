import { describe, expect, it } from 'vitest';
import { lineGlyphs } from '../../../../src/providers/local/reading/glyphs.ts';
import {
  restoreSpaces,
  separateAddressTokens,
  separateNameTokens,
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

describe('separateAddressTokens', () => {
  it('separates street abbreviations users expect to see apart', () => {
    expect(separateAddressTokens('JL.MERDEKA GG.SUDIRMAN NO.1')).toBe('JL. MERDEKA GG. SUDIRMAN NO. 1');
    expect(separateAddressTokens('JL. MAWARNO. 5')).toBe('JL. MAWAR NO. 5');
    expect(separateAddressTokens('PERUM GRIYA ASRIBLOKA5 NO. 3')).toBe('PERUM GRIYA ASRI BLOK A5 NO. 3');
    expect(separateAddressTokens('KP.SUKAMAJU')).toBe('KP. SUKAMAJU');
    expect(separateAddressTokens('PERUMAHAN INDAH PANDANSARIBLOK B13 NO. 15')).toBe('PERUMAHAN INDAH PANDANSARI BLOK B13 NO. 15');
  });

  it('leaves words that merely end like an abbreviation alone', () => {
    expect(separateAddressTokens('DUSUN KRAJAN')).toBe('DUSUN KRAJAN');
    expect(separateAddressTokens('JL. SUTRISNO')).toBe('JL. SUTRISNO');
  });
});

describe('separateNameTokens', () => {
  it('separates honorifics before the name but leaves degrees after the comma intact', () => {
    expect(separateNameTokens('DR.IR.H.BUDI SANTOSO,S.E.,M.M.')).toBe('DR. IR. H. BUDI SANTOSO, S.E., M.M.');
    expect(separateNameTokens('SITI AMINAH, S.PD')).toBe('SITI AMINAH, S.PD');
  });

  it('glues a one-letter abbreviation inside a degree back to what follows', () => {
    expect(separateNameTokens('YUSUF SIMANJUNTAK, S. SOS')).toBe('YUSUF SIMANJUNTAK, S.SOS');
    expect(separateNameTokens('H. MICHAEL HALIM, S. FARM., APT')).toBe('H. MICHAEL HALIM, S.FARM., APT');
  });

  it('restores the comma before a degree that a blurred image turned into a dot', () => {
    expect(separateNameTokens('RAHMAWATI. S.SOS')).toBe('RAHMAWATI, S.SOS');
    expect(separateNameTokens('PROF. DR. BUDI')).toBe('PROF. DR. BUDI');
  });
});

describe('separateAddressTokens on the opening word', () => {
  it('separates the word that opens a rural or housing address', () => {
    expect(separateAddressTokens('DUSUNSUKAMAJU')).toBe('DUSUN SUKAMAJU');
    expect(separateAddressTokens('PERUMPONDOK PERMAI BLOK J2 NO. 6')).toBe('PERUM PONDOK PERMAI BLOK J2 NO. 6');
    expect(separateAddressTokens('PERUMAHANGRIYA ASRI')).toBe('PERUMAHAN GRIYA ASRI');
  });
});

describe('separateAddressTokens on lost dots', () => {
  it('puts back the dot of JL., GG. and NO. before a number', () => {
    expect(separateAddressTokens('JL GAJAH MADA GG MAWAR NO 28')).toBe('JL. GAJAH MADA GG. MAWAR NO. 28');
  });
});

describe('separateAddressTokens on an already spaced address', () => {
  it('changes nothing', () => {
    for (const a of ['PERUMAHAN GRIYA ASRI CLUSTER MAWAR BLOK C12 NO. 4', 'JL. RAYA BOGOR KM. 12 GG. NANGKA NO. 3', 'DSN. KRAJAN']) {
      expect(separateAddressTokens(a)).toBe(a);
    }
  });
});
