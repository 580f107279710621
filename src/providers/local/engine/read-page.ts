import type { OcrLine, OcrPage } from '../ocr-line.ts';
import { toCanonicalCard } from '../pipeline/canonical.ts';
import { estimateSkew, shouldLevel, textRunsVertically } from '../pipeline/orientation.ts';
import type { Point } from '../pipeline/geometry.ts';
import { findPhoto } from '../pipeline/photo.ts';
import { levelLines, rotateQuarter, type Raster } from '../pipeline/raster.ts';
import { looksUpsideDown } from './classify.ts';
import { detectText, type TextBox } from './detect.ts';
import type { Models } from './models.ts';
import { recogniseBox, type RecogniseOptions, type RecognisedLine } from './recognize.ts';
import { swallowedRuns } from './ink-runs.ts';
import { withNikRereads } from './nik-rereads.ts';

/** PaddleOCR's drop_score: below it a "line" is guilloche or the photo read as text. */
const MIN_LINE_SCORE = 0.5;

/**
 * The detector's input never needs more pixels than the card had in the source (upscaling adds
 * none of the detail it looks for), nor more than 1024 (PaddleOCR's own limit), nor fewer than
 * 640, below which the card's small print gets too thin to find. On a 640 px photo this saves
 * about a third of the detection time, with the same boxes.
 */
function detectionSide(sourceLongSide: number): number {
  return Math.round(Math.min(1024, Math.max(640, sourceLongSide)));
}

/** What the pipeline did to the image, for tests and the benchmark (never any content). */
export interface PageSteps {
  cardFound: boolean;
  quarterTurned: boolean;
  /** The skew that was levelled, degrees; 0 when none was. */
  levelledDegrees: number;
  upsideDown: boolean;
  timings: Record<'normalise' | 'detect' | 'orient' | 'recognise', number>;
}

/**
 * From decoded pixels to the OCR page of the canonical card, and the mapping from the page's
 * coordinates back to the decoded raster's (every turn, levelling and warp undone), so that what
 * was read can be located on the image the client sent.
 */
export async function readPage(models: Models, decoded: Raster): Promise<{ page: OcrPage; steps: PageSteps; toDecoded: (p: Point) => Point }> {
  const t0 = performance.now();
  const canonical = toCanonicalCard(decoded);
  let toDecoded = canonical.toInput;
  let image = canonical.image;
  let quarterTurned = canonical.quarterTurned;
  const detectSide = detectionSide(canonical.sourceLongSide);
  const t1 = performance.now();
  let boxes = await detectText(models.det, image, detectSide);
  const t2 = performance.now();

  // Without a card outline the frame's shape says nothing; the text direction does.
  if (!canonical.cardFound && textRunsVertically(boxes)) {
    const before = toDecoded;
    const h = image.height;
    toDecoded = (p) => before([p[1], h - 1 - p[0]]);
    image = rotateQuarter(image, 1);
    quarterTurned = true;
    boxes = await detectText(models.det, image, detectSide);
  }
  const skew = estimateSkew(boxes);
  let levelledDegrees = 0;
  if (shouldLevel(skew)) {
    const before = toDecoded;
    const rad = (skew * Math.PI) / 180;
    const [cx, cy] = [(image.width - 1) / 2, (image.height - 1) / 2];
    // levelLines samples (x, y) of its output from this point of its input.
    toDecoded = (p) => before([cx + (p[0] - cx) * Math.cos(rad) - (p[1] - cy) * Math.sin(rad), cy + (p[0] - cx) * Math.sin(rad) + (p[1] - cy) * Math.cos(rad)]);
    image = levelLines(image, skew);
    levelledDegrees = skew;
    boxes = await detectText(models.det, image, detectSide);
  }
  const upsideDown = await looksUpsideDown(models.cls, image, boxes);
  if (upsideDown) {
    const before = toDecoded;
    const [w, h] = [image.width, image.height];
    toDecoded = (p) => before([w - 1 - p[0], h - 1 - p[1]]);
    image = rotateQuarter(image, 2);
    // Exact for a half turn, so the boxes follow without detecting again.
    boxes = boxes.map((b) => ({ ...b, x: image.width - b.x - b.width, y: image.height - b.y - b.height }));
  }
  const t3 = performance.now();

  boxes.sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: OcrLine[] = [];
  const reader: BoxReader = (box, options) => recogniseBox(models.rec, models.dictionary, image, box, options);
  for (const box of boxes) {
    const read = await withNikRereads(reader, box, await readBox(reader, box));
    const line = toOcrLine(read, box);
    if (line !== null) lines.push(line);
  }
  const photo = findPhoto(image);
  const t4 = performance.now();
  return {
    toDecoded,
    page: { width: image.width, height: image.height, lines, ...(photo ? { photo } : {}) },
    steps: {
      cardFound: canonical.cardFound,
      quarterTurned,
      levelledDegrees,
      upsideDown,
      timings: { normalise: t1 - t0, detect: t2 - t1, orient: t3 - t2, recognise: t4 - t3 },
    },
  };
}

/** Reads the text in one box of the page. */
export type BoxReader = (box: TextBox, options?: RecogniseOptions) => Promise<RecognisedLine>;

/** A line read with less confidence than this is read again from a taller crop. */
const REREAD_BELOW = 0.8;
/** How much taller, above and below, as a share of the box's height. */
const REREAD_PAD = 0.3;

/**
 * One box, read again when the first reading is doubtful. The detector's box can hug large print
 * so tightly that the recogniser, which scales every crop to the same height, loses strokes at
 * the top and bottom: a blurred OCR-A NIK came back as 12 digits at 0.48, and from a crop 30 %
 * taller each side as its 16 at 0.92. The second reading replaces the first when the recogniser
 * is surer of it and it keeps every character the first one saw: a reread may find what the first
 * missed, never drop what it read (a district printed `MANIIS`, its first I at 0.51, came back as
 * `MANIS` at 0.92). Confident lines, nearly all of a card, are read once.
 */
export async function readBox(read: BoxReader, box: TextBox): Promise<RecognisedLine> {
  let best = await read(box);
  let bestBox = box;
  if (best.score < REREAD_BELOW) {
    const pad = box.height * REREAD_PAD;
    const tallerBox = { ...box, y: box.y - pad, height: box.height + 2 * pad };
    const taller = await read(tallerBox);
    if (taller.score > best.score && printed(taller) >= printed(best)) [best, bestBox] = [taller, tallerBox];
  }
  return readSwallowedGlyphs(read, bestBox, best);
}

/**
 * The horizontal scales a line that swallowed a glyph is read again at. The recogniser emits a
 * character per run of its 8-pixel time steps, so a glyph lost at one scale lands on other steps
 * at another: on OCR-A NIKs of 1400-1800 px screenshots, one of these scales or another read
 * every digit the first reading merged (which one varied from card to card), and agreed with it
 * everywhere else.
 */
const RESCALES = [0.85, 1.2, 1.45] as const;

/**
 * A line with a character that holds two or more pieces of ink (see swallowedRuns) is read again
 * squeezed and stretched (RESCALES). The surest of those readings replaces the first when it
 * finds more characters, no more than the crop has pieces of ink (so every added character is
 * ink the crop shows), with no less confidence.
 */
async function readSwallowedGlyphs(read: BoxReader, box: TextBox, first: RecognisedLine): Promise<RecognisedLine> {
  const runs = first.inkRuns ?? [];
  if (!first.chars.some((c) => swallowedRuns(c, runs).length > 0)) return first;
  let best = first;
  for (const scale of RESCALES) {
    const again = await read(box, { scale });
    const n = printed(again);
    // As sure as the first reading will do; against another rescale, only surer.
    const surer = best === first ? again.score >= first.score : again.score > best.score;
    if (n > printed(first) && n <= runs.length && surer) best = again;
  }
  return best;
}

/** The characters of a reading that are not spaces. */
const printed = (line: RecognisedLine) => line.chars.filter((c) => c.char.trim() !== '').length;

/**
 * NFKC per character, so full-width colons and digits become ASCII and `chars` stays one entry
 * per character of `text`; a character NFKC expands (rare ligatures) shares its extent evenly.
 */
function toOcrLine(read: RecognisedLine, box: TextBox): OcrLine | null {
  if (read.score < MIN_LINE_SCORE) return null;
  const chars: OcrLine['chars'] = [];
  for (const c of read.chars) {
    const parts = [...c.char.normalize('NFKC')];
    const step = (c.x1 - c.x0) / Math.max(1, parts.length);
    // A runner-up belongs to the character as a whole: kept only when NFKC left it one character.
    const alternative = parts.length === 1 && c.alternative ? { alternative: { ...c.alternative, char: c.alternative.char.normalize('NFKC') } } : {};
    const ink = c.ink !== undefined ? { ink: c.ink } : {};
    parts.forEach((part, i) => chars.push({ char: part, x0: c.x0 + i * step, x1: c.x0 + (i + 1) * step, score: c.score, ...alternative, ...ink }));
  }
  while (chars.length > 0 && chars[0]!.char.trim() === '') chars.shift();
  while (chars.length > 0 && chars[chars.length - 1]!.char.trim() === '') chars.pop();
  if (chars.length === 0) return null;
  const rereads = read.rereads?.map((r) => r.map((c) => ({ char: c.char.normalize('NFKC'), score: c.score })));
  return {
    text: chars.map((c) => c.char).join(''),
    score: read.score,
    box: { x: box.x, y: box.y, width: box.width, height: box.height },
    chars,
    ...(rereads ? { rereads } : {}),
  };
}
