import { officialRegion, printedNames } from '../../../ktp/regions.ts';
import type { RegionKind } from '../../../ktp/regions.ts';
import type { Glyph } from './glyphs.ts';
import { meanScore } from './glyphs.ts';
import { indexCandidates, reconcile, type CandidateIndex } from './reconcile.ts';
import { restoreSpaces } from './spaces.ts';
import { clamp01 } from './text.ts';

export interface PlaceReading {
  /** As printed: the reading, with only its unsure glyphs and gaps settled by the region tables. */
  value: string;
  /** What the glyphs read before any table had a say (for the benchmark's "rewritten" count). */
  asRead: string;
  confidence: number;
  /** Kemendagri code of the official region the printed name is; null when it is none. */
  code: string | null;
}

const indexes = new Map<string, CandidateIndex>();

function namesUnder(kind: RegionKind, parentCode: string | null): CandidateIndex {
  const key = `${kind}|${parentCode ?? ''}`;
  let index = indexes.get(key);
  if (!index) {
    // The whole country's villages are too many to be a vocabulary: a village needs its district.
    index = indexCandidates(kind === 'village' && !parentCode ? [] : printedNames(kind, parentCode));
    if (indexes.size > 500) indexes.clear();
    indexes.set(key, index);
  }
  return index;
}

/**
 * A region name (header, Kel/Desa, Kecamatan) as printed. The tables of the printed parent region
 * (never the NIK's codes) may settle the glyphs and gaps the recogniser was unsure of, and say
 * which official region the name is; a name they do not know (a village newer than the tables, a
 * spelling of the card's own) is kept as read.
 */
export function readRegion(kind: RegionKind, glyphs: readonly Glyph[], parentCode: string | null, factor = 1): PlaceReading | null {
  const kept = glyphs.filter((g) => !/^[,.:;]$/.test(g.char) || g !== glyphs[glyphs.length - 1]);
  if (kept.length === 0) return null;
  const asRead = restoreSpaces(kept);
  const fixed = reconcile(kept, namesUnder(kind, parentCode));
  const value = fixed?.text ?? asRead;
  const official = officialRegion(kind, value, parentCode);
  const ocr = meanScore(kept) * factor;
  return { value, asRead, code: official?.code ?? null, confidence: clamp01(ocr * (official ? 1 : 0.8)) };
}

/**
 * A place printed without its KABUPATEN/KOTA prefix or with it (place of birth, issue place): as
 * printed, its unsure glyphs settled against the names of the regencies (bare or prefixed).
 */
export function readPlaceName(glyphs: readonly Glyph[], score: number, provinceCode?: string | null): PlaceReading {
  let end = glyphs.length;
  while (end > 0 && /^[,.:;]$/.test(glyphs[end - 1]!.char)) end--;
  const kept = glyphs.slice(0, end);
  const asRead = restoreSpaces(kept);
  const fixed = reconcile(kept, namesUnder('regency', null)) ?? (provinceCode ? reconcile(kept, namesUnder('regency', provinceCode)) : null);
  const value = fixed?.text ?? asRead;
  const official = officialRegion('regency', value, null) ?? officialRegion('regency', `KOTA ${value}`, provinceCode) ?? officialRegion('regency', `KABUPATEN ${value}`, provinceCode);
  return { value, asRead, code: official?.code ?? null, confidence: clamp01(score * (official ? 1 : 0.8)) };
}
