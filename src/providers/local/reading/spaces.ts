import type { Glyph } from './glyphs.ts';
import { median } from './rows.ts';
import { tidy } from './text.ts';

/**
 * How much wider than the run's typical gap between characters a gap must be to be a dropped
 * space, in line heights. The engine gives each character its ink extent, so the gap inside a
 * word is the side bearings (a tenth of the line height, less when blur joins the letters) and a
 * space adds about a quarter of the line height. Measured through the engine on synthetic cards
 * in six variants (8,800 letter pairs, 686 spaces): 0.15 missed none and invented 9, all but one in
 * blurred images; 0.12 invented 14, 0.18 missed one.
 */
export const SPACE_GAP = 0.15;

/** Never a space before these: the card prints `S.E.,` and `006/003`. */
const NO_SPACE_BEFORE = new Set([',', '.', '/', '-', ')', ':']);
/** Never a space after these. */
const NO_SPACE_AFTER = new Set(['/', '-', '(']);
const DIGIT = /^\d$/;

/**
 * Around the threshold, a gap says little: between these multiples of it, the gap is "unsure"
 * and a rule (punctuation, an abbreviation, a vocabulary the reading is checked against) may
 * decide; outside them, the geometry decides alone. Measured gaps rarely fall in the band (see
 * SPACE_GAP), so the rules rarely have a say.
 */
const SURE_NO_SPACE = 0.7;
const SURE_SPACE = 1.5;

/** What the geometry says about the gap before a glyph: a space, none, or unsure (with the threshold's guess). */
export type GapKind = 'space' | 'none' | 'unsure-space' | 'unsure-none';

/**
 * The gap before each glyph (index 0 is always 'none'): the recogniser's own breaks are spaces,
 * and a gap is measured against the run's typical gap, in line heights, so it holds at any scale.
 */
export function gapKinds(glyphs: readonly Glyph[], threshold = SPACE_GAP, punctuation = true): GapKind[] {
  if (glyphs.length === 0) return [];
  const ratios = gapRatios(glyphs);
  const kinds: GapKind[] = ['none'];
  for (let i = 1; i < glyphs.length; i++) {
    const prev = glyphs[i - 1]!;
    const g = glyphs[i]!;
    const ratio = ratios[i]!;
    let kind: GapKind;
    // A dot's or comma's ink extent is a guess (the glyph is a speck that blur merges into the
    // next one): after one, no gap short of a sure space is sure, and the abbreviation rules
    // settle it (`NO. 25`, `GG. KENANGA`).
    const afterSpeck = prev.char === '.' || prev.char === ',';
    if (g.breakBefore || ratio > SURE_SPACE * threshold) kind = 'space';
    else if (afterSpeck) kind = ratio > threshold ? 'unsure-space' : 'unsure-none';
    else if (ratio < SURE_NO_SPACE * threshold) kind = 'none';
    else kind = ratio > threshold ? 'unsure-space' : 'unsure-none';
    // Punctuation that the card never spaces settles an unsure gap (and a recogniser's break).
    if (!punctuation) {
      kinds.push(kind);
      continue;
    }
    // The card never spaces these; blur widens the gap around thin punctuation, so even a gap
    // that looks sure is not a space here.
    if (kind !== 'none' && (NO_SPACE_BEFORE.has(g.char) || NO_SPACE_AFTER.has(prev.char))) kind = 'unsure-none';
    // Between two digits only a sure space is one: the figures are tabular, so a narrow `1` has
    // wide side bearings (blur widens the gap further: `NO. 11` measured 0.185 line heights), and
    // the card does not space the digits of a number (a house or block number, RT/RW, a date).
    if (kind === 'unsure-space' && DIGIT.test(prev.char) && DIGIT.test(g.char)) kind = 'unsure-none';
    kinds.push(kind);
  }
  return kinds;
}

/**
 * The gap before each glyph beyond the run's typical gap, in line heights (index 0 is 0): what
 * gapKinds compares with the space threshold, and what the confidence weighs as the doubt of a
 * space (reading/evidence.ts).
 */
export function gapRatios(glyphs: readonly Glyph[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < glyphs.length; i++) {
    if (!glyphs[i]!.breakBefore) gaps.push(glyphs[i]!.x0 - glyphs[i - 1]!.x1);
  }
  // Too few gaps to know what is typical: a space is what stands out from no gap at all.
  const typical = gaps.length >= 3 ? Math.max(0, median(gaps)) : 0;
  const height = Math.max(1, median(glyphs.map((g) => g.y1 - g.y0)));
  return glyphs.map((g, i) => (i === 0 ? 0 : (g.x0 - glyphs[i - 1]!.x1 - typical) / height));
}

/** Marks an unsure gap in a text, with the geometry's guess, for the rules below to settle. */
export const UNSURE_SPACE = '\u0001';
export const UNSURE_NONE = '\u0002';

/** The text of a glyph run with sure spaces as spaces and unsure gaps marked. */
export function markedText(glyphs: readonly Glyph[], threshold = SPACE_GAP, punctuation = true): string {
  const kinds = gapKinds(glyphs, threshold, punctuation);
  let out = '';
  glyphs.forEach((g, i) => {
    const kind = kinds[i]!;
    if (i > 0) out += kind === 'space' ? ' ' : kind === 'unsure-space' ? UNSURE_SPACE : kind === 'unsure-none' ? UNSURE_NONE : '';
    out += g.char;
  });
  return out;
}

/** Unsure gaps the rules left alone take the geometry's guess. */
export function settle(marked: string): string {
  return tidy(marked.replaceAll(UNSURE_SPACE, ' ').replaceAll(UNSURE_NONE, ''));
}

/**
 * The text of a glyph run with the spaces the recogniser dropped put back: a gap clearly wider
 * than the run's typical gap, relative to the line height so that it holds at any scale. Breaks
 * the recogniser did print (and breaks between detected boxes) are kept.
 */
export function restoreSpaces(glyphs: readonly Glyph[], threshold = SPACE_GAP): string {
  return settle(markedText(glyphs, threshold));
}

/** Either unsure marker: a gap the geometry left to the rules. */
const U = `[${UNSURE_SPACE}${UNSURE_NONE}]`;
const space = (re: string) => new RegExp(re, 'g');

/**
 * Street-address abbreviations are followed by a space (`JL. MAWAR`, `GG. NANGKA`, `NO. 5`) and
 * BLOK precedes its designation (`BLOK A5`): where the geometry was unsure, these decide. They
 * never add a character: `JL DIMANA NO 100` stays as printed.
 */
const ADDRESS_ABBREVIATIONS = ['JL', 'JLN', 'GG', 'NO', 'KM', 'KP', 'DSN', 'DS', 'KEL', 'KEC', 'KOMP', 'RT', 'RW'];

export function separateAddressTokens(marked: string): string {
  let s = marked;
  const abbr = ADDRESS_ABBREVIATIONS.join('|');
  // `JL.MAWAR` → `JL. MAWAR`, only at a word start, so a word ending in NO is left alone.
  s = s.replace(space(`(^|\\s|${U})(${abbr})(\\.?)${U}(?=[A-Z0-9])`), '$1$2$3 ');
  // BLOK and its designation (`A`, `A5`, `12`).
  s = s.replace(space(`${U}BLOK(?=${U}?[A-Z]{0,2}\\d|${U}?[A-Z](?:\\s|$))`), ' BLOK');
  s = s.replace(space(`BLOK${U}(?=[A-Z0-9])`), 'BLOK ');
  // The word that opens a rural or housing address (`DUSUN KRAJAN`, `PERUM GRIYA`).
  s = s.replace(space(`^(PERUMAHAN|PERUM|DUSUN|KAMPUNG|KOMPLEK)${U}(?=[A-Z]{3})`), '$1 ');
  // After a comma, a space.
  s = s.replace(space(`,${U}`), ', ');
  return settle(s);
}

/** Honorifics printed before a name, followed by a space (`DR. IR. H. BUDI`). */
const NAME_TITLES = ['H', 'HJ', 'DR', 'DRS', 'DRA', 'IR', 'PROF', 'KH', 'R', 'RA', 'M', 'MOH', 'MUH', 'MOCH', 'MHD'];

/**
 * A name's unsure gaps: a space after a title's dot and after the comma before degrees; none
 * inside a degree (`S.SOS`, `S.FARM.`). Characters stay as read.
 */
export function separateNameTokens(marked: string): string {
  let s = marked;
  const titles = NAME_TITLES.join('|');
  // Titles only at the start or after another title, so `S.H.` in a degree stays glued.
  for (;;) {
    const next = s.replace(space(`^((?:(?:${titles})\\.[ ]?)*(?:${titles})\\.)${U}`), '$1 ');
    if (next === s) break;
    s = next;
  }
  s = s.replace(space(`,${U}`), ', ');
  // Inside the degrees after the comma, a one-letter abbreviation is glued to what follows.
  const comma = s.indexOf(',');
  if (comma >= 0) s = s.slice(0, comma) + s.slice(comma).replace(space(`\\b([A-Z])\\.${U}(?=[A-Z])`), '$1.');
  return settle(s);
}
