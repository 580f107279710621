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
const SPACE_GAP = 0.15;

/** Never a space before these, whatever the gap: the card prints `S.E.,` and `006/003`. */
const NO_SPACE_BEFORE = new Set([',', '.', '/', '-', ')', ':']);
/** Never a space after these. */
const NO_SPACE_AFTER = new Set(['/', '-', '(']);

/**
 * The text of a glyph run with the spaces the recogniser dropped put back: a gap clearly wider
 * than the run's typical gap, relative to the line height so that it holds at any scale. Breaks
 * the recogniser did print (and breaks between detected boxes) are always kept.
 */
export function restoreSpaces(glyphs: readonly Glyph[], threshold = SPACE_GAP): string {
  if (glyphs.length === 0) return '';
  const gaps: number[] = [];
  for (let i = 1; i < glyphs.length; i++) {
    if (!glyphs[i]!.breakBefore) gaps.push(glyphs[i]!.x0 - glyphs[i - 1]!.x1);
  }
  // Too few gaps to know what is typical: a space is what stands out from no gap at all.
  const typical = gaps.length >= 3 ? Math.max(0, median(gaps)) : 0;
  const height = Math.max(1, median(glyphs.map((g) => g.y1 - g.y0)));

  let out = glyphs[0]!.char;
  for (let i = 1; i < glyphs.length; i++) {
    const prev = glyphs[i - 1]!;
    const g = glyphs[i]!;
    const wide = (g.x0 - prev.x1 - typical) / height > threshold;
    const allowed = !NO_SPACE_BEFORE.has(g.char) && !NO_SPACE_AFTER.has(prev.char);
    if ((g.breakBefore || wide) && allowed) out += ' ';
    out += g.char;
  }
  return tidy(out);
}

/**
 * Street-address abbreviations are always followed by a space (`JL. MAWAR`, `GG. NANGKA`,
 * `NO. 5`) and BLOK precedes its designation (`BLOK A5`). When the gaps did not show the space,
 * these tokens still do.
 */
const ADDRESS_ABBREVIATIONS = ['JL', 'JLN', 'GG', 'NO', 'KM', 'KP', 'DSN', 'DS', 'KEL', 'KEC', 'KOMP', 'RT', 'RW'];

export function separateAddressTokens(text: string): string {
  let s = text.toUpperCase();
  const abbr = ADDRESS_ABBREVIATIONS.join('|');
  // `JL.MAWAR` → `JL. MAWAR`; only at a word start, so a word ending in NO is left alone.
  s = s.replace(new RegExp(`(^|\\s)(${abbr})\\.(?=[A-Z0-9])`, 'g'), '$1$2. ');
  // `MAWARNO. 5` → `MAWAR NO. 5`: a house number or alley glued to the street name before it.
  s = s.replace(/([A-Z]{2,})(NO|GG|KM)\.(?=\s*[A-Z0-9])/g, '$1 $2. ');
  // BLOK and its designation (`A`, `A5`, `12`), wherever the gaps lost the spaces around it.
  const designation = '(?=\\s?[A-Z]{0,2}\\d|\\s?[A-Z](?:\\s|$))';
  s = s.replace(new RegExp(`(\\S)BLOK${designation}`, 'g'), '$1 BLOK');
  s = s.replace(new RegExp(`(^|\\s)BLOK${designation}`, 'g'), '$1BLOK ');
  // The dot of a leading JL. or of GG./NO. before a number is small and lost first in a blurred image.
  s = s.replace(/^(JL|JLN)\s+(?=[A-Z])/, '$1. ');
  s = s.replace(/(^|\s)(GG|KM)\s+(?=[A-Z0-9])/g, '$1$2. ');
  s = s.replace(/(^|\s)NO\s+(?=\d)/g, '$1NO. ');
  // The word that opens a rural or housing address (`DUSUN KRAJAN`, `PERUM GRIYA`); PERUMAHAN is
  // tried before PERUM so the longer word is not cut.
  s = s.replace(/^(PERUMAHAN|PERUM(?!AHAN)|DUSUN|KAMPUNG|KOMPLEK)(?=[A-Z]{3})/, '$1 ');
  s = s.replace(/\s*,\s*/g, ', ');
  return tidy(s);
}

/** Honorifics printed before a name, always followed by a space (`DR. IR. H. BUDI`). */
const NAME_TITLES = ['H', 'HJ', 'DR', 'DRS', 'DRA', 'IR', 'PROF', 'KH', 'R', 'RA', 'M', 'MOH', 'MUH', 'MOCH', 'MHD'];

export function separateNameTokens(text: string): string {
  let s = text.toUpperCase();
  // Titles only count at the very start or after another title, so `S.H.` in a degree stays.
  const titles = new RegExp(`^((?:(?:${NAME_TITLES.join('|')})\\.\\s*)+)`);
  const prefix = titles.exec(s)?.[0] ?? '';
  let rest = s.slice(prefix.length);
  // Degrees follow a comma (`BUDI, S.E., M.M.`); a blurred comma reads as a dot, but a dot right
  // after a full name word and before a degree can only have been that comma.
  rest = rest.replace(/([A-Z]{3,})\.\s*(?=[A-Z]{1,3}\.)/g, '$1, ');
  rest = rest.replace(/\s*,\s*/g, ', ');
  // Inside the degrees a one-letter abbreviation is glued to what follows (`S.SOS`, `S.FARM.`);
  // a blurred dot looks like a gap.
  const comma = rest.indexOf(',');
  if (comma >= 0) rest = rest.slice(0, comma) + rest.slice(comma).replace(/\b([A-Z])\.\s+(?=[A-Z])/g, '$1.');
  return tidy(prefix.replace(/\.\s*/g, '. ') + rest);
}
