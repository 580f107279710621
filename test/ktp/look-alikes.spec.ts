import { describe, expect, it } from 'vitest';
import { parseCardDate } from '../../src/ktp/dates.ts';
import { editDistance } from '../../src/ktp/fuzzy.ts';
import {
  DIGIT_LIKE,
  DIGIT_LOOK_ALIKES,
  LABEL_LOOK_ALIKES,
  LETTER_LOOK_ALIKES,
  LOOK_ALIKE_ROWS,
  digitOf,
  labelKeyChar,
} from '../../src/ktp/look-alikes.ts';
import { nikDigitOf, readPrintedNik } from '../../src/ktp/nik.ts';
import { matchBloodType } from '../../src/ktp/vocabularies.ts';
import { readRtRw } from '../../src/providers/local/reading/digits.ts';

/** Every printable ASCII character, and a few an engine may emit beyond it. */
const CHARS = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), 'é', '٠', 'Ｏ'];
const digitRows = LOOK_ALIKE_ROWS.filter((r) => r.in.includes('digit'));

describe('the one table of look-alikes', () => {
  it('lists the characters the issue found missing from one reader or another', () => {
    // NIK_LIKE lacked o, z, s; the date pattern lacked g q T J U i !.
    for (const c of ['o', 'z', 's', 'g', 'q', 'T', 'J', 'U', 'i', '!']) expect(DIGIT_LOOK_ALIKES[c], c).toMatch(/^\d$/);
  });

  it('digit class: matches exactly the digits and the digit map’s characters', () => {
    const expected = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ...digitRows.map((r) => r.read)]);
    for (const c of CHARS) expect(DIGIT_LIKE.test(c), JSON.stringify(c)).toBe(expected.has(c));
    for (const c of CHARS) expect(digitOf(c) !== null, JSON.stringify(c)).toBe(expected.has(c));
  });

  it('NIK: every character of the digit map reads as its digit, in one glyph and in a printed NIK', () => {
    for (const row of digitRows) {
      expect(nikDigitOf(row.read)).toBe(row.printed);
      expect(readPrintedNik(`32${row.read}3`)).toBe(`32${row.printed}3`);
    }
    // A character outside the map is kept, for the NIK check to report.
    expect(readPrintedNik('32X3')).toBe('32X3');
  });

  it('dates: a date whose last digit is read as any character of the digit map is still a date', () => {
    for (const row of digitRows) {
      const year = `197${row.printed}`;
      expect(parseCardDate(`19-12-197${row.read}`), row.read).toBe(`${year}-12-19`);
    }
  });

  it('RT/RW: every character of the digit map reads as its digit', () => {
    for (const row of digitRows) {
      expect(readRtRw(`00${row.read}/003`)?.rt, row.read).toBe(`00${row.printed}`);
    }
  });

  it('blood type: exactly the letter map’s digits are read as letters', () => {
    expect(Object.keys(LETTER_LOOK_ALIKES).sort()).toEqual(['0', '4', '8']);
    for (const [read, printed] of Object.entries(LETTER_LOOK_ALIKES)) expect(matchBloodType(read).value).toBe(printed);
    expect(matchBloodType('7').value).toBeNull();
  });

  it('labels: folds exactly the label rows onto one letter each, and nothing else', () => {
    const labelRows = LOOK_ALIKE_ROWS.filter((r) => r.in.includes('label'));
    for (const row of labelRows) expect(labelKeyChar(row.read)).toBe(labelKeyChar(LABEL_LOOK_ALIKES[row.printed]!));
    const folded = new Set(Object.keys(LABEL_LOOK_ALIKES));
    for (const c of CHARS) {
      const lower = c.toLowerCase();
      if (folded.has(lower)) continue;
      expect(labelKeyChar(c), JSON.stringify(c)).toBe(/^[a-z]$/.test(lower) ? lower : '');
    }
  });

  it('fuzzy matching: a look-alike costs half an edit, exactly for the fuzzy rows', () => {
    const fuzzy = LOOK_ALIKE_ROWS.filter((r) => r.in.includes('fuzzy'));
    const pairs = new Set(fuzzy.map((r) => `${r.read}${r.printed}`));
    for (const row of fuzzy) {
      expect(editDistance(row.read, row.printed), `${row.read}/${row.printed}`).toBe(0.5);
      expect(editDistance(row.printed, row.read)).toBe(0.5);
    }
    // Characters of the digit map that are not fuzzy rows cost a whole edit against their digit.
    for (const row of digitRows.filter((r) => !r.in.includes('fuzzy'))) {
      if (/[a-z]/.test(row.read)) continue; // squashing uppercases these before they are compared
      if (pairs.has(`${row.read}${row.printed}`)) continue;
      expect(editDistance(row.read, row.printed), row.read).toBe(1);
    }
  });
});
