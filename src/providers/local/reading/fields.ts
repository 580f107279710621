import type { FieldConfidence, RawKtpFields } from '../../../ktp/raw-fields.ts';
import { editDistance, squash } from '../../../ktp/fuzzy.ts';
import { parseCardDate } from '../../../ktp/dates.ts';
import { DIGIT_LIKE } from '../../../ktp/look-alikes.ts';
import type { PrintedCard } from '../../../ktp/nik.ts';
import {
  matchBloodType,
  matchGender,
  matchMaritalStatus,
  matchNationality,
  matchOccupation,
  matchReligion,
  matchValidUntil,
} from '../../../ktp/vocabularies.ts';
import { readRtRw, readCardDate } from './digits.ts';
import { glyphCompact, glyphText, meanScore } from './glyphs.ts';
import type { Glyph } from './glyphs.ts';
import type { CardLayout, SideText, ValueSpan } from './layout.ts';
import { readNikFromGlyphs } from './nik.ts';
import { stripPrefix } from './labels.ts';
import { readRegion, readPlaceName } from './places.ts';
import { restoreSpaces, separateAddressTokens, separateNameTokens } from './spaces.ts';
import { clamp01, tidy } from './text.ts';

interface Reading {
  value: string;
  confidence: number;
}
const NONE: Reading = { value: '', confidence: 0 };

/** The shared vocabulary matchers: canonical printed text, confidence 0 when nothing matched. */
type Matcher = (text: string) => { text: string; confidence: number };

/** Below this a vocabulary match is a guess; the printed text is kept instead. */
const MATCH_FLOOR = 0.5;

/**
 * Spellings the card itself prints for one vocabulary value (ktp.md). The shared matchers fold
 * them into the current spelling; the contract wants what is printed, so a read closer to the
 * variant than to the canonical form keeps the variant.
 */
const PRINTED_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  KATOLIK: ['KATHOLIK'],
  BUDDHA: ['BUDHA'],
  KONGHUCU: ['KHONGHUCU'],
};

function printedVariant(read: string, canonical: string): string | null {
  const r = squash(read);
  for (const variant of PRINTED_VARIANTS[canonical] ?? []) {
    if (editDistance(r, squash(variant)) < editDistance(r, squash(canonical))) return variant;
  }
  return null;
}

/** Every glyph of a value, wrapped lines in reading order. */
const allGlyphs = (span: ValueSpan | undefined): Glyph[] => span?.lines.flat() ?? [];

/** A label we had to infer from the row order is weaker evidence that the value is this field's. */
const labelFactor = (span: ValueSpan) => (span.labelQuality >= 0.75 ? 1 : 0.85);

/**
 * A closed-vocabulary value: the matcher knows the printed spelling, spaces included. When the
 * matcher does not recognise it, keep what was printed (a free-text occupation on an old card).
 */
function readVocabulary(span: ValueSpan | undefined, match: Matcher): Reading {
  const glyphs = allGlyphs(span);
  if (!span || glyphs.length === 0) return NONE;
  const printed = restoreSpaces(glyphs);
  const hit = match(printed);
  const ocr = meanScore(glyphs) * labelFactor(span);
  if (hit.confidence >= MATCH_FLOOR) {
    return { value: printedVariant(printed, hit.text) ?? hit.text, confidence: clamp01(ocr * hit.confidence) };
  }
  return { value: printed, confidence: clamp01(ocr * Math.min(hit.confidence, 0.3)) };
}

/** Free text (name, street): spaces from the CTC geometry, line by line, wrapped lines joined. */
function readFreeText(span: ValueSpan | undefined, tokens: (s: string) => string): Reading {
  if (!span) return NONE;
  const lines = span.lines.filter((l) => l.length > 0);
  if (lines.length === 0) return NONE;
  const value = tokens(lines.map((l) => restoreSpaces(l)).join(' '));
  // Spacing is inferred, not read: the score caps below certainty.
  return { value, confidence: clamp01(meanScore(lines.flat()) * labelFactor(span) * 0.95) };
}

/** A date (older cards) or SEUMUR HIDUP; a date's digits are read without the gaps that split them. */
function readValidUntil(span: ValueSpan | undefined): Reading {
  const glyphs = allGlyphs(span);
  const date = span && glyphs.length ? readCardDate(glyphCompact(glyphs)) : null;
  if (span && date) return { value: date, confidence: clamp01(meanScore(glyphs) * labelFactor(span)) };
  return readVocabulary(span, matchValidUntil);
}

/**
 * The unknown blood type prints as a lone `-`, which the detector often misses altogether: a
 * `Gol. Darah` label with nothing after it is that dash, with the doubt it deserves.
 */
function readBloodType(span: ValueSpan | undefined): Reading {
  if (span && allGlyphs(span).length === 0) return { value: '-', confidence: 0.5 * labelFactor(span) };
  return readVocabulary(span, matchBloodType);
}

/**
 * The NIK as read (see reading/nik.ts for the one case where a hesitant digit's runner-up is
 * taken); one that is still inconsistent is what the card prints, with less confidence.
 */
function readNik(span: ValueSpan | null, printed: PrintedCard): Reading {
  if (!span) return NONE;
  const glyphs = allGlyphs(span);
  const nik = readNikFromGlyphs(glyphs, printed);
  if (!nik) return NONE;
  const { check } = nik;
  // One wrong digit makes the whole NIK wrong: the weakest digit weighs as much as the average.
  const weakest = nik.digitScores.length ? Math.min(...nik.digitScores) : 0;
  const consistent = check.valid ? (check.warnings.length === 0 ? 1 : 0.9) : 0.6;
  return { value: nik.digits, confidence: clamp01(meanScore(glyphs) * (0.5 + 0.5 * weakest) * consistent) };
}

/** What a printed date can be read as: digits, their look-alikes (src/ktp/look-alikes.ts), separators. */
const isDateIsh = (c: string) => DIGIT_LIKE.test(c) || /^[-./,\s]$/.test(c);

/**
 * `JAKARTA, 12-05-1990`. The date is the last thing on the line; the place is whatever precedes
 * it. The comma is often read as a dot or lost, so the split is found from the date side: the
 * longest tail of date-like glyphs, shortened until it reads as a date (a place ending in a
 * look-alike letter, `SERANG`, gives its G back).
 */
function readBirth(span: ValueSpan | undefined): { pob: Reading; dob: Reading } {
  const glyphs = allGlyphs(span);
  if (!span || glyphs.length === 0) return { pob: NONE, dob: NONE };
  let tail = glyphs.length;
  while (tail > 0 && isDateIsh(glyphs[tail - 1]!.char)) tail--;
  const dateFrom = (i: number) => (i <= glyphs.length - 8 ? readCardDate(glyphCompact(glyphs.slice(i))) : null);
  // A separator (comma, or the dot it is misread as) is the surest split; without one, the
  // earliest start that still reads as a date.
  let cut = -1;
  let date: string | null = null;
  for (let i = tail; i < glyphs.length && !date; i++) {
    if (/[,.]/.test(glyphs[i]!.char)) date = dateFrom(i + 1);
    if (date) cut = i + 1;
  }
  for (let i = tail; i < glyphs.length && !date; i++) {
    date = dateFrom(i);
    if (date) cut = i;
  }
  let placeEnd = cut < 0 ? glyphs.length : cut;
  while (placeEnd > 0 && /[,.\s]/.test(glyphs[placeEnd - 1]!.char)) placeEnd--;
  const placeGlyphs = glyphs.slice(0, placeEnd);
  const score = meanScore(glyphs) * labelFactor(span);
  return {
    pob: placeGlyphs.length ? readPlaceName(placeGlyphs, score) : NONE,
    dob: date ? { value: date, confidence: clamp01(meanScore(glyphs.slice(cut)) * labelFactor(span)) } : NONE,
  };
}

function readRtRwField(span: ValueSpan | undefined): { rt: Reading; rw: Reading } {
  const glyphs = allGlyphs(span);
  const parsed = span && glyphs.length ? readRtRw(glyphCompact(glyphs)) : null;
  if (!span || !parsed) return { rt: NONE, rw: NONE };
  const confidence = clamp01(meanScore(glyphs) * labelFactor(span) * (parsed.exact ? 1 : 0.6));
  return { rt: { value: parsed.rt, confidence }, rw: { value: parsed.rw, confidence } };
}

/**
 * The issue place and date under the photo. The date is the side text that reads as one; the
 * place is the lettered side text just above it (signature strokes read as short noise).
 */
function readIssue(side: SideText[], provinceCode: string | null): { city: Reading; date: Reading } {
  let date: Reading = NONE;
  let dateAt = Infinity;
  for (const s of side) {
    const d = readCardDate(glyphCompact(s.glyphs));
    if (d && s.glyphs.length >= 8) {
      date = { value: d, confidence: meanScore(s.glyphs) };
      dateAt = s.cy;
      break;
    }
  }
  const lettered = side.filter((s) => s.cy < dateAt && s.glyphs.filter((g) => /[A-Z]/.test(g.char)).length >= 3);
  const place = lettered[lettered.length - 1];
  return { city: place ? readPlaceName(place.glyphs, meanScore(place.glyphs), provinceCode) : NONE, date };
}

export interface CardReading {
  fields: RawKtpFields;
  confidence: FieldConfidence;
}

/** Every field of the card from its layout; null when there is no readable NIK. */
export function readFields(layout: CardLayout): CardReading | null {
  const f = layout.fields;
  const provinceText = layout.provinceHeader ? stripPrefix(layout.provinceHeader, 'PROVINSI') : null;
  const province = provinceText ? readRegion('province', provinceText, []) : null;
  const birth = readBirth(f.birth);
  const gender = readVocabulary(f.gender, matchGender);
  // What the card prints, read without the NIK, for the NIK reader to check itself against.
  const nik = readNik(layout.nik, {
    birthDate: birth.dob.value ? parseCardDate(birth.dob.value) : null,
    gender: gender.value ? matchGender(gender.value).value : null,
    province: province?.value || null,
    city: layout.regencyHeader ? glyphText(layout.regencyHeader) : null,
  });
  if (!nik.value) return null;

  const provinceCode = province?.code ?? nik.value.slice(0, 2);
  const city = layout.regencyHeader ? readRegion('regency', layout.regencyHeader, [provinceCode, nik.value.slice(0, 2)]) : null;
  const regencyCode = city?.code ?? nik.value.slice(0, 4);
  const district = f.district
    ? readRegion('district', allGlyphs(f.district), [regencyCode, nik.value.slice(0, 4)], labelFactor(f.district))
    : null;
  const village = f.village
    ? readRegion('village', allGlyphs(f.village), [district?.code ?? nik.value.slice(0, 6), nik.value.slice(0, 6)], labelFactor(f.village))
    : null;

  const rtrw = readRtRwField(f.rtrw);
  const issue = readIssue(layout.side, provinceCode);

  const readings: Record<keyof RawKtpFields, Reading> = {
    id: nik,
    name: readFreeText(f.name, separateNameTokens),
    pob: birth.pob,
    dob: birth.dob,
    gender,
    address: readFreeText(f.address, separateAddressTokens),
    rt: rtrw.rt,
    rw: rtrw.rw,
    village: village ?? NONE,
    district: district ?? NONE,
    city: city ?? NONE,
    province: province ?? NONE,
    religion: readVocabulary(f.religion, matchReligion),
    marital_status: readVocabulary(f.marital, matchMaritalStatus),
    work: readVocabulary(f.work, matchOccupation),
    nationnality: readVocabulary(f.nationality, matchNationality),
    blood_type: readBloodType(f.blood),
    valid_until: readValidUntil(f.validUntil),
    issue_city: issue.city,
    issue_date: issue.date,
  };

  const fields = {} as RawKtpFields;
  const confidence: FieldConfidence = {};
  for (const [key, r] of Object.entries(readings) as [keyof RawKtpFields, Reading][]) {
    fields[key] = tidy(r.value);
    confidence[key] = fields[key] ? Math.round(clamp01(r.confidence) * 1000) / 1000 : 0;
  }
  return { fields, confidence };
}
