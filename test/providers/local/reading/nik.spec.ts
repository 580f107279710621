import { describe, expect, it } from 'vitest';
import type { PrintedCard } from '../../../../src/ktp/nik.ts';
import type { Glyph } from '../../../../src/providers/local/reading/glyphs.ts';
import { readNikFromGlyphs } from '../../../../src/providers/local/reading/nik.ts';

/** A synthetic holder: Kab. Magelang (33.08), Kec. 33.08.06, a man born 20-09-1988. */
const NIK = '3308062009880011';
const CARD: PrintedCard = { birthDate: '1988-09-20', gender: 'MALE', province: 'JAWA TENGAH', city: 'KABUPATEN MAGELANG' };

/** The NIK row as glyphs, confident everywhere except where `hesitations` say otherwise. */
function nikRow(text: string, hesitations: Record<number, { score: number; alternative?: Glyph['alternative'] }> = {}): Glyph[] {
  return [...text].map((char, i) => ({
    char,
    x0: i * 20,
    x1: i * 20 + 16,
    y0: 100,
    y1: 130,
    score: 0.99,
    breakBefore: i === 0,
    ...hesitations[i],
  }));
}

describe('readNikFromGlyphs', () => {
  it('keeps a consistent reading as it is, whatever the runner-ups', () => {
    const reading = readNikFromGlyphs(nikRow(NIK, { 10: { score: 0.6, alternative: { char: '0', score: 0.3 } } }), CARD);
    expect(reading).toMatchObject({ digits: NIK, tookRunnerUp: false, check: { valid: true, warnings: [] } });
  });

  it('takes the runner-up of a hesitant digit when only it makes the NIK agree with the printed birth date', () => {
    // Blur took a stroke off the OCR-A 8 of the year: 20-09-08 would be a child, and not the card's date.
    const misread = '3308062009080011';
    const reading = readNikFromGlyphs(nikRow(misread, { 10: { score: 0.47, alternative: { char: '8', score: 0.33 } } }), CARD);
    expect(reading).toMatchObject({ digits: NIK, tookRunnerUp: true, check: { birthDateMatchesCard: true, warnings: [] } });
    expect(reading!.digitScores[10]).toBeCloseTo(0.33, 5);
  });

  it('takes the runner-up when the reading names a province the card does not print and a regency that does not exist', () => {
    // 34.08 is no regency; 33.08 is the card's own.
    const misread = '3408062009880011';
    const reading = readNikFromGlyphs(nikRow(misread, { 1: { score: 0.39, alternative: { char: '3', score: 0.3 } } }), CARD);
    expect(reading).toMatchObject({ digits: NIK, tookRunnerUp: true });
  });

  it('does not touch a digit the recogniser was sure of, even when its runner-up would agree', () => {
    const misread = '3308062009080011';
    const reading = readNikFromGlyphs(nikRow(misread, { 10: { score: 0.95, alternative: { char: '8', score: 0.04 } } }), CARD);
    expect(reading).toMatchObject({ digits: misread, tookRunnerUp: false, check: { birthDateMatchesCard: false } });
  });

  it('leaves a real disagreement visible when no runner-up resolves it', () => {
    // A NIK issued for another birth date: no hesitation, nothing to choose.
    const other = '3308062109880011';
    const reading = readNikFromGlyphs(nikRow(other, { 6: { score: 0.7, alternative: { char: '7', score: 0.2 } } }), CARD);
    expect(reading).toMatchObject({ digits: other, tookRunnerUp: false, check: { birthDateMatchesCard: false } });
  });

  it('maps look-alike letters to digits', () => {
    expect(readNikFromGlyphs(nikRow('33O8O62OO988OO11'), CARD)).toMatchObject({ digits: NIK });
  });

  it('reads a malformed NIK as printed, and never repairs it into a consistent one', () => {
    // 15 digits, a hesitant digit whose runner-up would not help anyway; letters kept.
    expect(readNikFromGlyphs(nikRow('330806200988001', { 3: { score: 0.5, alternative: { char: '9', score: 0.4 } } }), CARD))
      .toMatchObject({ digits: '330806200988001', tookRunnerUp: false, check: { valid: false } });
    expect(readNikFromGlyphs(nikRow('3308XXXXXXXX0011'), CARD)).toMatchObject({ digits: '3308XXXXXXXX0011', check: { valid: false } });
    expect(readNikFromGlyphs(nikRow(''), CARD)).toBeNull();
  });
});

describe('readNikFromGlyphs: the NIK row read more than once', () => {
  /** The row with other readings of its line attached, as the engine attaches them (engine/nik-rereads.ts). */
  const withRereads = (glyphs: Glyph[], ...texts: string[]): Glyph[] => {
    const rereads = texts.map((t) => [...t].map((char) => ({ char, score: 0.97 })));
    return glyphs.map((g) => ({ ...g, rereads }));
  };

  it('says how many other readings agreed with the digits it reports', () => {
    const reading = readNikFromGlyphs(withRereads(nikRow(NIK), `NIK : ${NIK}`, NIK, '3308062009880071'), CARD);
    expect(reading).toMatchObject({ digits: NIK, rereads: 3 });
    expect(reading!.agreement).toBeCloseTo(2 / 3, 5);
  });

  it('takes the digit every other reading agrees on where the first one hesitated', () => {
    const misread = '3308062009880017';
    const reading = readNikFromGlyphs(withRereads(nikRow(misread, { 15: { score: 0.55 } }), NIK, NIK, NIK), CARD);
    expect(reading).toMatchObject({ digits: NIK, agreement: 1 });
    expect(reading!.digitScores[15]).toBeCloseTo(0.97, 5);
  });

  it('never changes a digit the first reading was sure of, whatever the others read', () => {
    const other = '3308062009880017';
    const reading = readNikFromGlyphs(withRereads(nikRow(NIK), other, other, other), CARD);
    expect(reading).toMatchObject({ digits: NIK, agreement: 0 });
  });

  it('takes the 16 digits two other readings agree on when the first lost a digit, if they pass the checks', () => {
    const short = '330806200988011';
    expect(readNikFromGlyphs(withRereads(nikRow(short), NIK, NIK, short), CARD)).toMatchObject({ digits: NIK });
    // Two readings agreeing on a NIK the checks reject leave the first reading as it was.
    const bad = '9908062009880011';
    expect(readNikFromGlyphs(withRereads(nikRow(short), bad, bad), CARD)).toMatchObject({ digits: short, agreement: 0 });
  });

  it('reports no agreement when the row was read once', () => {
    expect(readNikFromGlyphs(nikRow(NIK), CARD)).toMatchObject({ digits: NIK, rereads: 0, agreement: 0 });
  });
});
