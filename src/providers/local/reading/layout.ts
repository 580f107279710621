import { editDistance } from '../../../ktp/fuzzy.ts';
import { DIGIT_LIKE } from '../../../ktp/look-alikes.ts';
import { parseCardDate } from '../../../ktp/dates.ts';
import type { OcrLine, OcrPage, PageBox } from '../ocr-line.ts';
import type { Glyph } from './glyphs.ts';
import { glyphCompact } from './glyphs.ts';
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

/** Text printed in the photo column, under the photo: issue place and date (and the signature's noise). */
export interface SideText {
  glyphs: Glyph[];
  cy: number;
}

export interface CardLayout {
  provinceHeader: Glyph[] | null;
  regencyHeader: Glyph[] | null;
  /** The NIK row's value; null when the card has no NIK row at all. */
  nik: ValueSpan | null;
  fields: Partial<Record<LabelKey | 'blood', ValueSpan>>;
  side: SideText[];
  /** How many printed labels were recognised: a card has thirteen, anything else very few. */
  labelsFound: number;
  /** Where values end on the right (the photo block and the issue place and date under it), in page pixels. */
  rightBound: number;
  /** The photo block, when the page knows it. */
  photo: PageBox | null;
}

/** Values that the card wraps onto a second line when they are long. */
const WRAPPING: readonly LabelKey[] = ['name', 'birth', 'address'];

/**
 * A gap this many line heights wide inside a row is a jump to another column (the photo column,
 * a watermark, a signature), never a word space: word spaces are about a quarter of a line height.
 */
const COLUMN_GAP = 1.5;

/** Glyphs this much fainter than the page's typical ink are a watermark or background print, not a value. */
const FAINT = 0.45;

/** A run of 14+ digits (or characters read for digits) is a NIK even when its label was not read. */
const NIK_RUN = 14;

/**
 * The longest run of consecutive digits (or characters read for digits) that is mostly real
 * digits: a NIK is sixteen of them in a row, a label such as `Tempat/Tgl` is not.
 */
function countNikLike(glyphs: readonly Glyph[]): number {
  let best = 0;
  let run = 0;
  let digits = 0;
  for (const g of glyphs) {
    if (DIGIT_LIKE.test(g.char)) {
      run++;
      if (g.char >= '0' && g.char <= '9') digits++;
      if (digits >= 0.6 * run) best = Math.max(best, run);
    } else {
      run = 0;
      digits = 0;
    }
  }
  return best;
}

const PROVINCE_KEY = labelKey('PROVINSI');

function isProvinceHeader(glyphs: readonly Glyph[]): boolean {
  const key = labelKey(glyphs.map((g) => g.char).join(''));
  return editDistance(key.slice(0, PROVINCE_KEY.length), PROVINCE_KEY) <= 2;
}

/**
 * The page without what is printed faintly: glyphs (and whole lines) much lighter than the page's
 * typical ink are a watermark ("KARTU TANDA PENDUDUK" across the card) or background print.
 * Pages without ink measurements are returned as they are.
 */
function withoutFaintPrint(page: OcrPage): OcrPage {
  const inks = page.lines.flatMap((l) => l.chars.map((c) => c.ink).filter((v): v is number => v !== undefined));
  if (inks.length < 20) return page;
  const typical = median(inks);
  const floor = FAINT * typical;
  const lines: OcrLine[] = [];
  for (const line of page.lines) {
    if (line.chars.length !== [...line.text].length) {
      lines.push(line);
      continue;
    }
    const lineInk = median(line.chars.map((c) => c.ink ?? typical));
    if (lineInk < floor) continue;
    // Runs of three or more faint glyphs are a word of the watermark; a lone faint glyph is more
    // likely a thin stroke measured badly than print of another colour.
    const faint = line.chars.map((c) => c.char.trim() !== '' && (c.ink ?? typical) < floor);
    const drop = faint.map((f, i) => {
      if (!f) return false;
      let a = i;
      let b = i;
      while (a > 0 && faint[a - 1]) a--;
      while (b < faint.length - 1 && faint[b + 1]) b++;
      return b - a + 1 >= 3;
    });
    const chars = line.chars.filter((_, i) => !drop[i]);
    if (chars.length === 0) continue;
    lines.push(chars.length === line.chars.length ? line : { ...line, chars, text: chars.map((c) => c.char).join('') });
  }
  return { ...page, lines };
}

/** Where the value starts after the label (or at the row's start), before any column cut. */
interface Cut {
  value: Glyph[];
  /** What lies past a column gap or past the right bound. */
  beyond: Glyph[][];
}

/**
 * A row's value, bounded by geometry: it ends at the right bound (the photo column) and at the
 * first gap wide enough to be a jump to another column. What lies past either is returned apart.
 */
function cutValue(glyphs: readonly Glyph[], from: number, rightBound: number, height: number): Cut {
  const value: Glyph[] = [];
  const beyond: Glyph[][] = [];
  let current = value;
  for (let i = from; i < glyphs.length; i++) {
    const g = glyphs[i]!;
    const prev = current.length > 0 ? current[current.length - 1]! : null;
    const jump = prev !== null && g.x0 - prev.x1 > COLUMN_GAP * height;
    const pastBound = current === value && g.x0 >= rightBound && (g.x0 + g.x1) / 2 >= rightBound;
    if (jump || pastBound) {
      current = [];
      beyond.push(current);
    }
    current.push(g);
  }
  return { value, beyond: beyond.filter((b) => b.length > 0) };
}

/**
 * The right bound of the value column. The photo block when the page found it; and the issue
 * place and date under it, which are centred under the photo and may reach left of it: the pieces
 * of text detached from the left column by a column gap, around the one that reads as a date.
 * With neither, the page's width.
 */
function findRightBound(rows: readonly Row[], page: OcrPage): number {
  const pieces: { glyphs: Glyph[]; cy: number; x0: number; x1: number }[] = [];
  for (const row of rows) {
    const { beyond } = cutValue(row.glyphs, 0, Infinity, row.height);
    for (const b of beyond) pieces.push({ glyphs: b, cy: row.cy, x0: b[0]!.x0, x1: b[b.length - 1]!.x1 });
    // A row of its own far right of the card's middle (an issue date on a line without a field).
    const first = row.glyphs[0]!;
    if (first.x0 > 0.5 * page.width) pieces.push({ glyphs: row.glyphs, cy: row.cy, x0: first.x0, x1: row.glyphs[row.glyphs.length - 1]!.x1 });
  }
  const photoLeft = page.photo ? page.photo.x - 0.005 * page.width : Infinity;
  const date = pieces.find((p) => p.glyphs.length >= 8 && parseCardDate(glyphCompact(p.glyphs)) !== null && (p.x0 + p.x1) / 2 > 0.5 * page.width);
  let bound = photoLeft;
  if (date) {
    const centre = (date.x0 + date.x1) / 2;
    const near = pieces.filter((p) => p.cy <= date.cy + 1 && Math.abs((p.x0 + p.x1) / 2 - centre) < 0.08 * page.width);
    bound = Math.min(bound, ...near.map((p) => p.x0 - 0.005 * page.width));
  }
  return Number.isFinite(bound) ? bound : page.width;
}

/**
 * Assign every row of the page to what it prints. The NIK row anchors the layout: the headers lie
 * above it, the labelled rows below it in a fixed order. A row whose label was not read takes the
 * next field in that order when it starts in the label column, and continues the previous value
 * (a wrapped name or address) when it starts in the value column. Values end at the right bound
 * and at column gaps; what lies in the photo column is side text (issue place and date).
 */
export function layoutCard(input: OcrPage): CardLayout {
  const page = withoutFaintPrint(input);
  const rows = groupRows(page);
  const nikIndex = rows.findIndex((r) => {
    const hit = labelAtStart(r.glyphs, ['nik']);
    // A read NIK label is enough: a malformed NIK (letters, 12 digits) is still the NIK row.
    if (hit && hit.quality === 1 && hit.valueStart < r.glyphs.length) return true;
    return countNikLike(hit ? r.glyphs.slice(hit.valueStart) : r.glyphs) >= NIK_RUN;
  });
  const layout: CardLayout = {
    provinceHeader: null,
    regencyHeader: null,
    nik: null,
    fields: {},
    side: [],
    labelsFound: 0,
    rightBound: page.width,
    photo: page.photo ?? null,
  };
  const body = nikIndex < 0 ? rows : rows.slice(nikIndex + 1);
  layout.rightBound = findRightBound(body, page);

  if (nikIndex >= 0) {
    const nikRow = rows[nikIndex]!;
    const nikHit = labelAtStart(nikRow.glyphs, ['nik']);
    // Above the photo (where the NIK is printed) nothing bounds a value on the right but a column gap.
    const above = layout.photo !== null && nikRow.y1 <= layout.photo.y + 0.25 * nikRow.height;
    const { value } = cutValue(nikRow.glyphs, nikHit?.valueStart ?? 0, above ? Infinity : layout.rightBound, nikRow.height);
    layout.nik = { lines: [value], labelQuality: nikHit?.quality ?? 0.5 };
    if (nikHit) layout.labelsFound++;
    readHeaders(rows.slice(0, nikIndex), layout);
  }
  readBody(body, layout);
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

/** The rows' glyphs left of the right bound, and what lies right of it as side text. */
function splitAtBound(row: Row, bound: number, layout: CardLayout): Glyph[] {
  const g = row.glyphs;
  if (layout.photo !== null && row.y1 <= layout.photo.y + 0.25 * row.height) return [...g];
  for (let i = 0; i < g.length; i++) {
    if ((g[i]!.x0 + g[i]!.x1) / 2 < bound) continue;
    if (i < g.length) layout.side.push({ glyphs: g.slice(i), cy: row.cy });
    return g.slice(0, i);
  }
  return [...g];
}

function readBody(rows: Row[], layout: CardLayout): void {
  type Classified = { row: Row; left: Glyph[]; hit: ReturnType<typeof labelAtStart> };
  const classified: Classified[] = rows.map((row) => {
    const left = splitAtBound(row, layout.rightBound, layout);
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
    let start: number;
    let quality: number;
    if (hit) {
      key = hit.key;
      start = hit.valueStart;
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
          previous.lines.push(cutValue(left, 0, Infinity, row.height).value);
        }
        continue;
      }
      // An unreadable label: the next field in the card's order, its value in the value column.
      const next: LabelKey | undefined = order[(last ? order.indexOf(last) : 0) + 1];
      if (!next || layout.fields[next]) continue;
      key = next;
      const firstValue = labelled.length ? left.findIndex((g) => g.x0 >= valueColumn - 0.5 * row.height) : 0;
      start = firstValue < 0 ? left.length : skipColon(left, firstValue);
      quality = 0.5;
    }
    if (layout.fields[key]) continue; // a second reading of a label: keep the first
    let values = left.slice(start);
    if (key === 'gender') {
      const blood = findBloodLabel(values, 0);
      if (blood) {
        layout.fields.blood = { lines: [cutValue(values, blood.valueStart, Infinity, row.height).value], labelQuality: blood.quality };
        values = values.slice(0, blood.start);
        layout.labelsFound++;
      }
    }
    layout.fields[key] = { lines: [cutValue(values, 0, Infinity, row.height).value], labelQuality: quality };
    last = key;
  }
}
