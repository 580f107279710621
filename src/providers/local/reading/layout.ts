import { editDistance } from '../../../ktp/fuzzy.ts';
import { DIGIT_LIKE } from '../../../ktp/look-alikes.ts';
import type { OcrPage } from '../ocr-line.ts';
import type { Glyph } from './glyphs.ts';
import { findBloodLabel, FIELD_LABELS, labelAtStart, labelKey, skipColon } from './labels.ts';
import type { LabelKey } from './labels.ts';
import { groupRows, median } from './rows.ts';
import type { Row } from './rows.ts';

/** A value as printed: one glyph run per printed line (a wrapped name has two). */
export interface ValueSpan {
  lines: Glyph[][];
  /** How well the label that introduced it was read, 0..1 (0.5 when inferred from the order). */
  labelQuality: number;
}

/** Text printed to the right of the field column, under the photo: issue place and date. */
export interface SideText {
  glyphs: Glyph[];
  cy: number;
}

export interface CardLayout {
  provinceHeader: Glyph[] | null;
  regencyHeader: Glyph[] | null;
  nik: ValueSpan | null;
  fields: Partial<Record<LabelKey | 'blood', ValueSpan>>;
  side: SideText[];
  /** How many printed labels were recognised: a card has thirteen, anything else very few. */
  labelsFound: number;
}

/** Values that the card wraps onto a second line when they are long. */
const WRAPPING: readonly LabelKey[] = ['name', 'birth', 'address'];

/**
 * Where the photo column begins, as a share of the card width. Left-column values stop short of
 * the photo (about 0.75), the issue place and date are centred under it (about 0.86).
 */
const SIDE_COLUMN = 0.74;

/** Digits and the characters read in their place (src/ktp/look-alikes.ts); a run of 14+ of them is a NIK. */
const NIK_LIKE = DIGIT_LIKE;

function countNikLike(glyphs: readonly Glyph[]): number {
  return glyphs.filter((g) => NIK_LIKE.test(g.char)).length;
}

/**
 * Cut off what lies in the photo column. The recogniser merges the issue place printed under the
 * photo into the Kecamatan row's line, so geometry, not line boundaries, decides: the side text
 * starts past the column edge after a gap of at least half a line height.
 */
function splitSide(row: Row, pageWidth: number): { left: Glyph[]; side: Glyph[] } {
  const edge = SIDE_COLUMN * pageWidth;
  const g = row.glyphs;
  for (let i = 0; i < g.length; i++) {
    if (g[i]!.x0 < edge) continue;
    const gap = i === 0 ? Infinity : g[i]!.x0 - g[i - 1]!.x1;
    if (i === 0 || g[i]!.breakBefore || gap > 0.5 * row.height) return { left: g.slice(0, i), side: g.slice(i) };
  }
  return { left: g, side: [] };
}

const PROVINCE_KEY = labelKey('PROVINSI');

function isProvinceHeader(glyphs: readonly Glyph[]): boolean {
  const key = labelKey(glyphs.map((g) => g.char).join(''));
  return editDistance(key.slice(0, PROVINCE_KEY.length), PROVINCE_KEY) <= 2;
}

/**
 * Assign every row of the page to what it prints. The NIK row anchors the layout: the headers lie
 * above it, the labelled rows below it in a fixed order. A row whose label was not read takes the
 * next field in that order when it starts in the label column, and continues the previous value
 * (a wrapped name or address) when it starts in the value column.
 */
export function layoutCard(page: OcrPage): CardLayout {
  const rows = groupRows(page);
  const nikIndex = rows.findIndex((r) => {
    const hit = labelAtStart(r.glyphs, ['nik']);
    return countNikLike(hit ? r.glyphs.slice(hit.valueStart) : r.glyphs) >= 14;
  });
  const layout: CardLayout = {
    provinceHeader: null,
    regencyHeader: null,
    nik: null,
    fields: {},
    side: [],
    labelsFound: 0,
  };
  if (nikIndex < 0) return layout;

  const nikRow = rows[nikIndex]!;
  const nikHit = labelAtStart(nikRow.glyphs, ['nik']);
  const nikGlyphs = nikRow.glyphs.slice(nikHit?.valueStart ?? 0);
  layout.nik = { lines: [nikGlyphs], labelQuality: nikHit?.quality ?? 0.5 };
  if (nikHit) layout.labelsFound++;

  readHeaders(rows.slice(0, nikIndex), layout);
  readBody(rows.slice(nikIndex + 1), page.width, layout);
  return layout;
}

function readHeaders(rows: Row[], layout: CardLayout): void {
  const provinceAt = rows.findIndex((r) => isProvinceHeader(r.glyphs));
  if (provinceAt >= 0) {
    layout.provinceHeader = rows[provinceAt]!.glyphs;
    layout.regencyHeader = rows[provinceAt + 1]?.glyphs ?? null;
  } else if (rows.length >= 1) {
    // Without a readable PROVINSI, the regency is still the header line just above the NIK.
    layout.regencyHeader = rows[rows.length - 1]!.glyphs;
    if (rows.length >= 2) layout.provinceHeader = rows[rows.length - 2]!.glyphs;
  }
}

function readBody(rows: Row[], pageWidth: number, layout: CardLayout): void {
  type Classified = { row: Row; left: Glyph[]; hit: ReturnType<typeof labelAtStart> };
  const classified: Classified[] = rows.map((row) => {
    const { left, side } = splitSide(row, pageWidth);
    if (side.length) layout.side.push({ glyphs: side, cy: row.cy });
    return { row, left, hit: left.length ? labelAtStart(left, FIELD_LABELS.slice(1).map((l) => l.key)) : null };
  });

  const labelled = classified.filter((c) => c.hit && c.left[c.hit.valueStart]);
  const valueColumn = median(labelled.map((c) => c.left[c.hit!.valueStart]!.x0));
  const labelColumn = median(labelled.map((c) => c.left[0]!.x0));

  const order = FIELD_LABELS.map((l) => l.key);
  let last: LabelKey | null = null;
  for (const { row, left, hit } of classified) {
    if (left.length === 0) continue;
    let key: LabelKey | null = null;
    let values: Glyph[];
    let quality: number;
    if (hit) {
      key = hit.key;
      values = left.slice(hit.valueStart);
      quality = hit.quality;
      layout.labelsFound++;
    } else {
      const startsInValueColumn =
        labelled.length > 0 && Math.abs(left[0]!.x0 - valueColumn) < Math.abs(left[0]!.x0 - labelColumn);
      if (startsInValueColumn) {
        // A wrapped value, or the value of a label row that came out empty because the detector
        // put the value a little off its label's line.
        const previous = last ? layout.fields[last] : undefined;
        if (previous && (WRAPPING.includes(last!) || previous.lines.every((l) => l.length === 0))) {
          previous.lines.push(left);
        }
        continue;
      }
      // An unreadable label: the next field in the card's order, its value in the value column.
      const next: LabelKey | undefined = order[(last ? order.indexOf(last) : 0) + 1];
      if (!next || layout.fields[next]) continue;
      key = next;
      values = labelled.length ? left.filter((g) => g.x0 >= valueColumn - 0.5 * row.height) : left;
      values = values.slice(skipColon(values, 0));
      quality = 0.5;
    }
    if (layout.fields[key]) continue; // a second reading of a label: keep the first
    if (key === 'gender') {
      const blood = findBloodLabel(values, 0);
      if (blood) {
        layout.fields.blood = { lines: [values.slice(blood.valueStart)], labelQuality: blood.quality };
        values = values.slice(0, blood.start);
        layout.labelsFound++;
      }
    }
    layout.fields[key] = { lines: [values], labelQuality: quality };
    last = key;
  }
}

