import { matchRegionName } from '../../../ktp/regions.ts';
import type { RegionKind, RegionMatch } from '../../../ktp/regions.ts';
import { editDistance, squash } from '../../../ktp/fuzzy.ts';
import { glyphCompact, meanScore } from './glyphs.ts';
import type { Glyph } from './glyphs.ts';
import { restoreSpaces } from './spaces.ts';
import { clamp01 } from './text.ts';

export interface PlaceReading {
  value: string;
  confidence: number;
  /** Kemendagri code of the matched region; null when the text matched none. */
  code: string | null;
}

/**
 * The best match among the given parents, then anywhere. The NIK's codes say where the holder was
 * first registered, which is usually but not always the card's region, so a restricted match that
 * is not convincing is compared with an unrestricted one.
 */
function bestRegion(kind: RegionKind, text: string, parents: readonly (string | null | undefined)[]): RegionMatch | null {
  let best: RegionMatch | null = null;
  for (const parent of [...new Set(parents.filter((p): p is string => !!p))]) {
    const m = matchRegionName(kind, text, parent);
    if (m && (!best || m.confidence > best.confidence)) best = m;
    if (best && best.confidence >= 0.999) return best;
  }
  const anywhere = matchRegionName(kind, text);
  // An unrestricted match must be clearly better to overrule the card's own hierarchy.
  if (anywhere && (!best || anywhere.confidence > best.confidence + 0.05)) best = anywhere;
  return best;
}

/**
 * A region name (header, Kel/Desa, Kecamatan): the tables give the spelling with its spaces.
 * Unknown names (a village newer than the tables) keep the OCR text with spaces from the gaps.
 */
export function readRegion(
  kind: RegionKind,
  glyphs: readonly Glyph[],
  parents: readonly (string | null | undefined)[],
  factor = 1,
): PlaceReading | null {
  if (glyphs.length === 0) return null;
  const ocr = meanScore(glyphs) * factor;
  const m = bestRegion(kind, glyphCompact(glyphs), parents);
  if (m) return { value: m.name, code: m.code, confidence: clamp01(ocr * m.confidence) };
  return { value: restoreSpaces(glyphs), code: null, confidence: clamp01(ocr * 0.5) };
}

const REGENCY_PREFIX = /^(KABUPATEN|KOTA)\s+/;

/**
 * A place printed without its KABUPATEN/KOTA prefix (place of birth, issue place). When it reads
 * as a regency, print the regency's bare name (with the prefix only if the card printed one);
 * otherwise it is a town or district name the tables do not list, spaced from the gaps.
 */
export function readPlaceName(glyphs: readonly Glyph[], score: number, provinceCode?: string | null): PlaceReading {
  const text = glyphCompact(glyphs).replace(/[,.:;]+$/, '');
  const m = text ? (bestRegion('regency', text, [provinceCode]) ?? sharedBareName(text, provinceCode)) : null;
  if (m) {
    const bare = m.name.replace(REGENCY_PREFIX, '');
    const read = squash(text);
    const value = editDistance(read, squash(bare)) <= editDistance(read, squash(m.name)) ? bare : m.name;
    return { value, code: m.code, confidence: clamp01(score * m.confidence) };
  }
  return { value: restoreSpaces(glyphs).replace(/[,.:;]+$/, ''), code: null, confidence: clamp01(score * 0.6) };
}

/**
 * A bare name that a KABUPATEN and a KOTA share (`SERANG`, `BANDUNG`) is ambiguous to the region
 * matcher, yet its printed form is the same either way: read it as either, keep the bare name.
 */
function sharedBareName(text: string, provinceCode?: string | null): RegionMatch | null {
  const asKota = bestRegion('regency', `KOTA ${text}`, [provinceCode]);
  const asKabupaten = bestRegion('regency', `KABUPATEN ${text}`, [provinceCode]);
  const bare = (m: RegionMatch | null) => m?.name.replace(REGENCY_PREFIX, '');
  if (asKota && asKabupaten && bare(asKota) === bare(asKabupaten)) {
    return asKota.confidence >= asKabupaten.confidence ? asKota : asKabupaten;
  }
  return null;
}
