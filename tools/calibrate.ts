/**
 * `npm run calibrate`: fits the offline engine's field confidences (src/providers/local/reading/
 * calibration.ts) and writes them to calibration.json beside it. It reads cards of the TUNING
 * ranges only (bench/ranges.ts RANGES.tuning; never the held-out family nor a held-out range),
 * records for every field read its evidence (reading/evidence.ts) and whether it was exactly what
 * the card prints, and fits a logistic regression (evidence weights shared, a bias per field group). The cards are generated from
 * their seeds, and the fit is deterministic: the same command on the same code writes the same file.
 *
 * By default it skips the first 4 seeds of each range, so that `npm run bench:accuracy -- --set
 * tuning --count 4` measures the calibration on cards it was not fitted on.
 *
 *   npm run calibrate                                   # seeds 5..10 of each tuning range
 *   npm run calibrate -- --skip 4 --count 6 --pages tmp/pages --dry-run
 *   options: --pages DIR (keep each card's OCR page there and reuse it: the fit can be redone
 *   without the OCR, as long as the engine up to the page has not changed), --dry-run (print, write nothing),
 *   --penalty L2 (default 5), --no-nice
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RANGES, type Range } from '../bench/ranges.ts';
import { rangeImages } from '../bench/support/images.ts';
import { reliabilityTable, type Scored } from '../bench/support/reliability.ts';
import type { RawKtpFields } from '../src/ktp/raw-fields.ts';
import { loadModels } from '../src/providers/local/engine/models.ts';
import { readPage } from '../src/providers/local/engine/read-page.ts';
import { lowerThisThreadsPriority } from '../src/providers/local/lower-thread-priority.ts';
import type { OcrPage } from '../src/providers/local/ocr-line.ts';
import { decodeImage } from '../src/providers/local/pipeline/decode.ts';
import { readCard } from '../src/providers/local/read-card.ts';
import { calibrated, type Calibration } from '../src/providers/local/reading/calibration.ts';
import { FEATURES, FIELD_GROUPS, type Features, type FieldGroup } from '../src/providers/local/reading/evidence.ts';
import { BENCH_VARIANTS, HELD_OUT_FAMILY } from '../tools/synthetic-ktp/index.ts';
import { fitLogistic, type Row } from './calibrate/logistic.ts';

const { values } = parseArgs({
  options: {
    skip: { type: 'string', default: '4' },
    count: { type: 'string', default: '6' },
    pages: { type: 'string' },
    penalty: { type: 'string', default: '5' },
    'dry-run': { type: 'boolean', default: false },
    'no-nice': { type: 'boolean', default: false },
  },
});
const skip = Number(values.skip);
const count = Number(values.count);
const penalty = Number(values.penalty);
if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(count) || count < 1 || !(penalty > 0)) {
  throw new Error('--skip is a whole number >= 0, --count a whole number >= 1, --penalty a number > 0');
}

const ranges: Range[] = RANGES.tuning
  .map((r) => ({ ...r, first: r.first + skip, last: Math.min(r.last, r.first + skip + count - 1) }))
  .filter((r) => r.first <= r.last);
// The discipline, again where it matters: nothing held out is ever fitted on.
for (const r of ranges) {
  if (r.family === HELD_OUT_FAMILY || RANGES.heldOut.some((h) => h.family === r.family && h.first <= r.last && r.first <= h.last)) {
    throw new Error(`${r.family} ${r.first}..${r.last} is held out: the calibration fits on tuning ranges only`);
  }
}

if (!values['no-nice']) lowerThisThreadsPriority();
const models = await loadModels({ threads: 1 });
if (values.pages) await mkdir(values.pages, { recursive: true });

async function pageOf(where: string, bytes: Uint8Array, format: Parameters<typeof decodeImage>[1]): Promise<OcrPage> {
  const file = values.pages ? join(values.pages, `${where.replaceAll(' ', '-')}.json`) : null;
  if (file) {
    const kept = await readFile(file, 'utf8').catch(() => null);
    if (kept) return JSON.parse(kept) as OcrPage;
  }
  const { page } = await readPage(models, await decodeImage(bytes, format));
  if (file) await writeFile(file, JSON.stringify(page));
  return page;
}

interface FieldRecord {
  group: FieldGroup;
  features: Features;
  exact: boolean;
  family: string;
  nik16: boolean;
}
const records: FieldRecord[] = [];
let images = 0;
for (const range of ranges) {
  for await (const { card, bytes, format, where, seed, variant } of rangeImages(range, BENCH_VARIANTS)) {
    process.stderr.write(`\r${range.family} ${range.first}..${range.last}: ${seed}${variant ? ` ${variant}` : ''}        `);
    images++;
    const result = readCard(await pageOf(where, bytes, format));
    if (result.kind !== 'identity') continue;
    for (const [key, features] of Object.entries(result.evidence) as [keyof RawKtpFields, Features][]) {
      // A field read as nothing reports 0 by rule: there is no value to be sure of.
      if (!result.fields[key]) continue;
      records.push({
        group: FIELD_GROUPS[key],
        features,
        exact: result.fields[key] === (card.truth[key] ?? ''),
        family: variant ? `${range.family} ${variant}` : range.family,
        nik16: key === 'id' && card.nikIs16Digits,
      });
    }
  }
}
process.stderr.write('\n');

/**
 * One fit for all groups: the evidence's weights are shared (a weak glyph or a doubtful gap
 * means the same in a name as in a village, and the tuning cards hold too few misses to learn
 * them per group), each group has its own offset to the bias. Every group also gets one exact and
 * one wrong pseudo-field at its mean evidence, so that a group without a miss on these cards
 * (region names, dates) is not certain: it is as sure as (exact + 1) / (fields + 2) there.
 */
const GROUPS = [...new Set(Object.values(FIELD_GROUPS))];
const featureRow = (r: { features: Features; group: FieldGroup }) => [...FEATURES.map((f) => r.features[f]), ...GROUPS.map((g) => (g === r.group ? 1 : 0))];
const rows: Row[] = records.map((r) => ({ x: featureRow(r), y: r.exact ? 1 : 0 }));
for (const group of GROUPS) {
  const mine = records.filter((r) => r.group === group);
  if (mine.length === 0) continue;
  const mean = Object.fromEntries(FEATURES.map((f) => [f, mine.reduce((s, r) => s + r.features[f], 0) / mine.length])) as Features;
  for (const y of [0, 1] as const) rows.push({ x: featureRow({ features: mean, group }), y });
}
const fit = fitLogistic(rows, FEATURES.length + GROUPS.length, penalty);
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const weights = Object.fromEntries(FEATURES.flatMap((f, j) => (fit.weights[j] ? [[f, round(fit.weights[j]!)]] : [])));
const groups = {} as Calibration['groups'];
GROUPS.forEach((group, g) => {
  const mine = records.filter((r) => r.group === group);
  groups[group] = {
    bias: round(fit.bias + fit.weights[FEATURES.length + g]!),
    weights,
    fitted: { fields: mine.length, exact: mine.filter((r) => r.exact).length },
  };
});

const calibration: Calibration = {
  command: `npm run calibrate -- --skip ${skip} --count ${count} --penalty ${penalty}`,
  ranges: ranges.map((r) => `${r.family} ${r.first}..${r.last}${r.family === 'classic' ? ` (${BENCH_VARIANTS.join(', ')})` : ''}`),
  groups,
};

// How the reader's own score and the fit read these cards (in sample: the bench's tuning run on
// the seeds skipped here is the out-of-sample figure).
const tables = (confidenceOf: (r: FieldRecord) => number) => {
  const scored = new Map<string, { fields: Scored[]; niks: Scored[] }>();
  for (const r of records) {
    const s: Scored = { confidence: confidenceOf(r), exact: r.exact };
    for (const key of [r.family, `group ${r.group}`, 'all']) {
      const g = scored.get(key) ?? { fields: [], niks: [] };
      g.fields.push(s);
      if (r.nik16) g.niks.push(s);
      scored.set(key, g);
    }
  }
  return reliabilityTable(scored);
};
console.log(`${images} images, ${records.length} fields read.`);
console.log('\nThe reader\'s own score, before calibration:\n');
for (const line of tables((r) => 1 / (1 + Math.exp(-r.features.prior)))) console.log(line);
console.log('\nThe calibrated confidence, in sample:\n');
for (const line of tables((r) => calibrated(r.group, r.features, calibration))) console.log(line);
console.log('');
for (const [group, m] of Object.entries(groups)) console.log(`${group}: ${m.fitted.exact}/${m.fitted.fields} exact, bias ${m.bias}, ${JSON.stringify(m.weights)}`);
if (!values['dry-run']) {
  const out = new URL('../src/providers/local/reading/calibration.json', import.meta.url);
  await writeFile(out, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`wrote ${out.pathname}`);
}
