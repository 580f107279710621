import type { Box, FieldBoxes, FieldConfidence, RawKtpFields } from '../../../ktp/raw-fields.ts';
import { parseCardDate } from '../../../ktp/dates.ts';
import { DIGIT_LIKE, digitOf, LETTER_LOOK_ALIKES } from '../../../ktp/look-alikes.ts';
import type { PrintedCard } from '../../../ktp/nik.ts';
import { COUNTRIES, matchGender, NEWER_OCCUPATIONS, SIAK_OCCUPATIONS } from '../../../ktp/vocabularies.ts';
import { readRtRw } from './digits.ts';
import { glyphCompact, meanScore } from './glyphs.ts';
import type { Glyph } from './glyphs.ts';
import type { CardLayout, SideText, ValueSpan } from './layout.ts';
import { readNikFromGlyphs } from './nik.ts';
import { stripPrefix } from './labels.ts';
import { calibrated, nikAgreementCap } from './calibration.ts';
import { evidenceOf, FIELD_GROUPS, type Features, type Support } from './evidence.ts';
import { readPlaceName, readRegion, type PlaceReading } from './places.ts';
import { indexCandidates, reconcile, type CandidateIndex } from './reconcile.ts';
import { gapKinds, markedText, restoreSpaces, separateAddressTokens, separateNameTokens } from './spaces.ts';
import { clamp01, tidy } from './text.ts';

interface Reading extends Omit<Support, 'prior'> {
  value: string;
  /** The glyphs' own text, before any vocabulary or table had a say. */
  asRead: string;
  /** The reader's own score (the calibration's prior, see reading/evidence.ts). */
  confidence: number;
  /** The glyphs the value was read from, for its box and its evidence. */
  glyphs: readonly Glyph[];
}
const NONE: Reading = { value: '', asRead: '', confidence: 0, glyphs: [], labelSure: false };

/**
 * How each closed field is printed, older spellings included (`KATHOLIK`, `BUDHA`). A reading is
 * checked against these, and only its unsure glyphs and gaps may be settled by them: a value
 * printed otherwise (`MALE`, `PEGAWAI SWASTA`) stays as printed.
 */
const VOCABULARIES = {
  gender: indexCandidates(['LAKI-LAKI', 'PEREMPUAN']),
  religion: indexCandidates([
    'ISLAM', 'KRISTEN', 'KATOLIK', 'KATHOLIK', 'HINDU', 'BUDDHA', 'BUDHA', 'KONGHUCU', 'KHONGHUCU',
    'KEPERCAYAAN TERHADAP TUHAN YME',
  ]),
  marital: indexCandidates(['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI']),
  nationality: indexCandidates(['WNI', 'WNA', 'INDONESIA', ...COUNTRIES]),
  blood: indexCandidates(['A', 'B', 'AB', 'O'].flatMap((g) => [g, `${g}+`, `${g}-`])),
  work: indexCandidates([...SIAK_OCCUPATIONS, ...NEWER_OCCUPATIONS]),
  forLife: indexCandidates(['SEUMUR HIDUP']),
} satisfies Record<string, CandidateIndex>;

/** Every glyph of a value, wrapped lines in reading order. */
const allGlyphs = (span: ValueSpan | undefined): Glyph[] => span?.lines.flat() ?? [];

/** Whether the label that introduced a value was read (rather than inferred from the row order). */
const labelSure = (span: ValueSpan) => span.labelQuality >= 0.75;
/** A label we had to infer from the row order is weaker evidence that the value is this field's. */
const labelFactor = (span: ValueSpan) => (labelSure(span) ? 1 : 0.85);

/** A value of a closed vocabulary, as printed; a vocabulary entry only where the recogniser was unsure. */
function readVocabulary(span: ValueSpan | undefined, vocabulary: CandidateIndex): Reading {
  const glyphs = allGlyphs(span);
  if (!span || glyphs.length === 0) return NONE;
  const asRead = restoreSpaces(glyphs);
  const fixed = reconcile(glyphs, vocabulary);
  const ocr = meanScore(glyphs) * labelFactor(span);
  // A value outside the vocabulary is what the card prints (an old card's free text, a mock-up's
  // wording), with the doubt of a value nothing vouches for.
  return { value: fixed?.text ?? asRead, asRead, confidence: clamp01(ocr * (fixed ? 1 : 0.6)), glyphs, vouched: fixed !== null, labelSure: labelSure(span) };
}

/**
 * A dot the recogniser nearly read as a comma, right after a word and before a degree: the comma
 * of `SALIM, S.E.` that blur thinned. Its runner-up says so, and what follows must open a degree
 * (one or two letters and a dot: `S.E.`, `S.KOM`, `A.MD`), or the line ends there; nothing else turns a dot into a comma.
 * Names only: in a street the dot after an abbreviation (`NO. 20`, `GG. MAWAR`, `DSN. TELUK`) is
 * just as often a blurred speck with a comma runner-up, and it is a dot.
 */
function commaBeforeDegree(glyphs: readonly Glyph[]): Glyph[] {
  const opensDegree = (i: number) => {
    // At a line's end the degrees may have wrapped onto the next line.
    const next = glyphs.slice(i + 1, i + 4).map((g) => g.char).join('');
    return next === '' || /^[A-Z]{1,2}\./.test(next);
  };
  return glyphs.map((g, i) =>
    g.char === '.' && g.alternative?.char === ',' && i >= 3 && glyphs.slice(i - 3, i).every((p) => /[A-Z]/.test(p.char)) && opensDegree(i)
      ? { ...g, char: ',' }
      : g,
  );
}

/** Free text (name, street): spaces from the CTC geometry, line by line, wrapped lines joined. */
function readFreeText(
  span: ValueSpan | undefined,
  tokens: (marked: string) => string,
  fixLine: (line: readonly Glyph[]) => readonly Glyph[] = (line) => line,
): Reading {
  if (!span) return NONE;
  const lines = span.lines.filter((l) => l.length > 0).map(fixLine);
  if (lines.length === 0) return NONE;
  // The rules see the wrapped lines as one value: the degrees after a name's comma may wrap.
  const value = tidy(tokens(lines.map((l) => markedText(l)).join(' ')));
  const asRead = tidy(lines.map((l) => restoreSpaces(l)).join(' '));
  // Spacing is inferred, not read: the score caps below certainty.
  return { value, asRead, confidence: clamp01(meanScore(lines.flat()) * labelFactor(span) * 0.95), glyphs: lines.flat(), labelSure: labelSure(span) };
}

/**
 * A date as printed: its digits (a character read for a digit is that digit: the card prints only
 * digits and separators here), its separators and any space the geometry is sure of. Null when
 * the glyphs name no real date.
 */
function printedDate(glyphs: readonly Glyph[]): string | null {
  if (glyphs.length < 6) return null;
  const asDigits = glyphs.map((g) => (DIGIT_LIKE.test(g.char) ? { ...g, char: digitOf(g.char)! } : g));
  // A date prints no space, but a mock-up may print one beside a separator (`19-12- 2030`), and
  // that is what is returned: a space the geometry is sure of, next to a separator. Inside a
  // group of digits a wide gap is blur around a narrow `1`, not a space.
  const kinds = gapKinds(asDigits, undefined, false);
  const separator = (c: string | undefined) => c !== undefined && /[-./]/.test(c);
  let text = '';
  asDigits.forEach((g, i) => {
    if (i > 0 && kinds[i] === 'space' && (separator(g.char) || separator(asDigits[i - 1]!.char))) text += ' ';
    text += g.char;
  });
  if (!/^\d[\d\s./-]*\d$/.test(text)) return null;
  return parseCardDate(text) === null ? null : text;
}

/** A date (older cards, WNA cards) or SEUMUR HIDUP. */
function readValidUntil(span: ValueSpan | undefined): Reading {
  const glyphs = allGlyphs(span);
  const date = span && glyphs.length ? printedDate(glyphs) : null;
  if (span && date) return { value: date, asRead: date, confidence: clamp01(meanScore(glyphs) * labelFactor(span)), glyphs, labelSure: labelSure(span) };
  return readVocabulary(span, VOCABULARIES.forLife);
}

/**
 * The unknown blood type prints as a lone `-`, which the detector often misses altogether: a
 * `Gol. Darah` label with nothing after it is that dash, with the doubt it deserves. (The one
 * value read from the layout rather than from glyphs.)
 */
function readBloodType(span: ValueSpan | undefined): Reading {
  if (span && allGlyphs(span).length === 0) return { value: '-', asRead: '-', confidence: 0.5 * labelFactor(span), glyphs: [], vouched: false, labelSure: labelSure(span) };
  // The field prints only letters and signs: a digit read there is the letter it looks like.
  const letters = span && { ...span, lines: span.lines.map((l) => l.map((g) => ({ ...g, char: LETTER_LOOK_ALIKES[g.char] ?? g.char }))) };
  return readVocabulary(letters, VOCABULARIES.blood);
}

/**
 * The NIK as printed (see reading/nik.ts for the one case where a hesitant digit's runner-up is
 * taken); one that is malformed or inconsistent is what the card prints, with less confidence.
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
  return {
    value: nik.digits,
    asRead: nik.digits,
    confidence: clamp01(meanScore(glyphs) * (0.5 + 0.5 * weakest) * consistent),
    glyphs,
    labelSure: labelSure(span),
    nik: { valid: check.valid, warnings: check.warnings.length, agreement: nik.agreement, rereads: nik.rereads },
  };
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
  const dateFrom = (i: number) => (i <= glyphs.length - 6 ? printedDate(glyphs.slice(i)) : null);
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
  const place = placeGlyphs.length ? readPlaceName(placeGlyphs, score) : null;
  const dateGlyphs = cut < 0 ? [] : glyphs.slice(cut);
  return {
    pob: place ? { ...placeReading(place, placeGlyphs), labelSure: labelSure(span) } : NONE,
    dob: date ? { value: date, asRead: date, confidence: clamp01(meanScore(dateGlyphs) * labelFactor(span)), glyphs: dateGlyphs, labelSure: labelSure(span) } : NONE,
  };
}

function readRtRwField(span: ValueSpan | undefined): { rt: Reading; rw: Reading } {
  const glyphs = allGlyphs(span);
  const parsed = span && glyphs.length ? readRtRw(glyphCompact(glyphs)) : null;
  if (!span || !parsed) return { rt: NONE, rw: NONE };
  const confidence = clamp01(meanScore(glyphs) * labelFactor(span) * (parsed.exact ? 1 : 0.6));
  const support = { vouched: parsed.exact, labelSure: labelSure(span) };
  return { rt: { value: parsed.rt, asRead: parsed.rt, confidence, glyphs, ...support }, rw: { value: parsed.rw, asRead: parsed.rw, confidence, glyphs, ...support } };
}

/**
 * The issue place and date under the photo, read as fields of their own wherever they sit: the
 * date is the side text that reads as one; the place is the lettered side text just above it
 * (signature strokes read as short noise).
 */
function readIssue(side: SideText[], provinceCode: string | null): { city: Reading; date: Reading } {
  let date: Reading = NONE;
  let dateAt = Infinity;
  for (const s of side) {
    const d = printedDate(s.glyphs);
    if (d && s.glyphs.length >= 8) {
      // Found by where it is printed, not by a label.
      date = { value: d, asRead: d, confidence: meanScore(s.glyphs), glyphs: s.glyphs, labelSure: false };
      dateAt = s.cy;
      break;
    }
  }
  const lettered = side.filter((s) => s.cy < dateAt && s.glyphs.filter((g) => /[A-Z]/.test(g.char)).length >= 3);
  const place = lettered[lettered.length - 1];
  if (!place) return { city: NONE, date };
  const read = readPlaceName(place.glyphs, meanScore(place.glyphs), provinceCode);
  return { city: placeReading(read, place.glyphs), date };
}

/** A place name's reading: the region tables vouch for it when they know it. */
const placeReading = (p: PlaceReading, glyphs: readonly Glyph[]): Reading => ({
  value: p.value,
  asRead: p.asRead,
  confidence: p.confidence,
  glyphs,
  vouched: p.code !== null,
  labelSure: false,
});

function boxOf(glyphs: readonly Glyph[]): Box | null {
  if (glyphs.length === 0) return null;
  const x0 = Math.min(...glyphs.map((g) => g.x0));
  const x1 = Math.max(...glyphs.map((g) => g.x1));
  const y0 = Math.min(...glyphs.map((g) => g.y0));
  const y1 = Math.max(...glyphs.map((g) => g.y1));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export interface CardReading {
  fields: RawKtpFields;
  confidence: FieldConfidence;
  /** Each field as its glyphs read before any vocabulary or table settled an unsure glyph or gap. */
  asRead: RawKtpFields;
  /** Where each value was read, in page pixels (not rounded: the caller maps them to the source). */
  boxes: FieldBoxes;
  /** What each field's confidence was calibrated from (tools/calibrate.ts fits on it). */
  evidence: Record<keyof RawKtpFields, Features>;
}

/** Every field of the card from its layout. */
export function readFields(layout: CardLayout): CardReading {
  const f = layout.fields;
  const provinceGlyphs = layout.provinceHeader ? stripPrefix(layout.provinceHeader, 'PROVINSI') : null;
  const province = provinceGlyphs ? readRegion('province', provinceGlyphs, null) : null;
  const city = layout.regencyHeader ? readRegion('regency', layout.regencyHeader, province?.code ?? null) : null;
  const district = f.district ? readRegion('district', allGlyphs(f.district), city?.code ?? null, labelFactor(f.district)) : null;
  const village = f.village ? readRegion('village', allGlyphs(f.village), district?.code ?? null, labelFactor(f.village)) : null;
  const birth = readBirth(f.birth);
  const gender = readVocabulary(f.gender, VOCABULARIES.gender);
  // What the card prints, read without the NIK, for the NIK reader to check itself against.
  const nik = readNik(layout.nik, {
    birthDate: birth.dob.value ? parseCardDate(birth.dob.value) : null,
    gender: gender.value ? matchGender(gender.value).value : null,
    province: province?.value || null,
    city: city?.value || null,
  });

  // A header is found by its own words (PROVINSI, KABUPATEN/KOTA); a row's label by the reader.
  const place = (p: ReturnType<typeof readRegion>, glyphs: readonly Glyph[], span?: ValueSpan): Reading =>
    p ? { ...placeReading(p, glyphs), labelSure: span ? labelSure(span) : true } : NONE;
  const rtrw = readRtRwField(f.rtrw);
  const issue = readIssue(layout.side, province?.code ?? null);

  const readings: Record<keyof RawKtpFields, Reading> = {
    id: nik,
    name: readFreeText(f.name, separateNameTokens, commaBeforeDegree),
    pob: birth.pob,
    dob: birth.dob,
    gender,
    address: readFreeText(f.address, separateAddressTokens),
    rt: rtrw.rt,
    rw: rtrw.rw,
    village: place(village, allGlyphs(f.village), f.village),
    district: place(district, allGlyphs(f.district), f.district),
    city: place(city, layout.regencyHeader ?? []),
    province: place(province, provinceGlyphs ?? []),
    religion: readVocabulary(f.religion, VOCABULARIES.religion),
    marital_status: readVocabulary(f.marital, VOCABULARIES.marital),
    work: readVocabulary(f.work, VOCABULARIES.work),
    nationnality: readVocabulary(f.nationality, VOCABULARIES.nationality),
    blood_type: readBloodType(f.blood),
    valid_until: readValidUntil(f.validUntil),
    issue_city: issue.city,
    issue_date: issue.date,
  };

  const fields = {} as RawKtpFields;
  const asRead = {} as RawKtpFields;
  const confidence: FieldConfidence = {};
  const boxes: FieldBoxes = {};
  const evidence = {} as Record<keyof RawKtpFields, Features>;
  for (const [key, r] of Object.entries(readings) as [keyof RawKtpFields, Reading][]) {
    fields[key] = tidy(r.value);
    asRead[key] = tidy(r.asRead);
    evidence[key] = evidenceOf(r.glyphs, { ...r, prior: r.confidence });
    // The chance the value is exactly what the card prints (reading/calibration.ts).
    const p = calibrated(FIELD_GROUPS[key], evidence[key]);
    confidence[key] = fields[key] ? Math.round((r.nik && r.nik.rereads > 0 ? Math.min(p, nikAgreementCap(r.nik.agreement)) : p) * 1000) / 1000 : 0;
    const box = boxOf(r.glyphs);
    if (box && fields[key]) boxes[key] = box;
  }
  if (layout.photo) boxes.portrait = { ...layout.photo };
  return { fields, confidence, asRead, boxes, evidence };
}
