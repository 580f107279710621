import { describe, expect, it } from 'vitest';
import { glyphText, lineGlyphs } from '../../../../src/providers/local/reading/glyphs.ts';
import { findBloodLabel, labelAtStart, stripPrefix } from '../../../../src/providers/local/reading/labels.ts';
import { engineLine, labelledRow } from './engine-page.ts';

const glyphsOf = (label: string, value: string, options: { touching?: boolean } = {}) =>
  lineGlyphs(labelledRow(label, value, 100, options));

function valueAfterLabel(glyphs: ReturnType<typeof lineGlyphs>) {
  const hit = labelAtStart(glyphs);
  return hit ? { key: hit.key, value: glyphs.slice(hit.valueStart).map((g) => g.char).join('') } : null;
}

describe('labelAtStart', () => {
  it('finds the label of a row the OCR merged into one line with its colon and value', () => {
    expect(valueAfterLabel(glyphsOf('Nama', 'MARIA THERESIA'))).toEqual({ key: 'name', value: 'MARIATHERESIA' });
    expect(valueAfterLabel(glyphsOf('Tempat/Tgl Lahir', 'JAKARTA, 03-05-1990'))).toEqual({
      key: 'birth',
      value: 'JAKARTA,03-05-1990',
    });
  });

  it('splits a label glued to its value without a colon where lowercase turns to uppercase', () => {
    const glyphs = lineGlyphs(engineLine([{ text: 'AgamaISLAM', x: 38 }], { y: 0 }));
    expect(valueAfterLabel(glyphs)).toEqual({ key: 'religion', value: 'ISLAM' });
  });

  it('reads labels whose colon touches them', () => {
    expect(valueAfterLabel(glyphsOf('Status Perkawinan', 'BELUM KAWIN', { touching: true }))).toEqual({
      key: 'marital',
      value: 'BELUMKAWIN',
    });
    expect(valueAfterLabel(glyphsOf('Kewarganegaraan', 'WNI', { touching: true }))).toEqual({ key: 'nationality', value: 'WNI' });
  });

  it('forgives a misread letter in a long label and i/l/1 confusions', () => {
    const misread = lineGlyphs(engineLine([{ text: 'Pekerjaar:PETANI', x: 38 }], { y: 0 }));
    expect(valueAfterLabel(misread)).toEqual({ key: 'work', value: 'PETANI' });
    const tgi = lineGlyphs(engineLine([{ text: 'Tempat/TgI Lahir:BOGOR', x: 38 }], { y: 0 }));
    expect(valueAfterLabel(tgi)?.key).toBe('birth');
  });

  it('tells the indented labels apart', () => {
    expect(labelAtStart(glyphsOf('Kel/Desa', 'CIBOGO'))?.key).toBe('village');
    expect(labelAtStart(glyphsOf('Kecamatan', 'CIBOGO'))?.key).toBe('district');
    expect(labelAtStart(glyphsOf('RT/RW', '001/002'))?.key).toBe('rtrw');
  });

  it('accepts the Kepercayaan label for the religion row', () => {
    expect(labelAtStart(glyphsOf('Kepercayaan', 'KEPERCAYAAN TERHADAP TUHAN YME'))?.key).toBe('religion');
  });

  it('does not read a value line as a label', () => {
    expect(labelAtStart(lineGlyphs(engineLine([{ text: 'SUTRISNO', x: 241 }], { y: 0 })))).toBeNull();
  });
});

describe('findBloodLabel', () => {
  it.each(['Gol. Darah', 'Gol Darah'])('finds %s after the gender value', (label) => {
    const glyphs = lineGlyphs(
      engineLine(
        [
          { text: 'PEREMPUAN', x: 241 },
          { text: label, x: 470 },
          { text: ':', x: 575 },
          { text: 'AB+', x: 590 },
        ],
        { y: 0 },
      ),
    );
    const hit = findBloodLabel(glyphs, 0);
    expect(glyphs.slice(0, hit!.start).map((g) => g.char).join('')).toBe('PEREMPUAN');
    expect(glyphs.slice(hit!.valueStart).map((g) => g.char).join('')).toBe('AB+');
  });
});

describe('stripPrefix', () => {
  it('drops the PROVINSI word of the header, even merged into the name', () => {
    const glyphs = lineGlyphs(engineLine([{ text: 'PROVINSI JAWA BARAT', x: 250 }], { y: 0, size: 27 }));
    expect(glyphText(stripPrefix(glyphs, 'PROVINSI')).replace(/ /g, '')).toBe('JAWABARAT');
  });
});
