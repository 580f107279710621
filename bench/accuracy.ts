/**
 * `npm run bench:accuracy`: the offline engine on generated synthetic cards that are not in the
 * repo, per renderer family (tools/synthetic-ktp/families.ts). Prints, measured in one run:
 *  - per family: images, identity (not FAIL) rate, NIK exactly as printed (cards printing 16
 *    digits), every raw field exactly as printed, the normalised printed fields (address, occupation,
 *    birth place...) exactly as printed, and the "rewritten" count: answers that differ from what
 *    the card prints although the glyphs had read it right (a table or vocabulary replaced it), or
 *    that normalisation changed. It must be 0;
 *  - latency of the whole engine (decode, card finding, orientation, OCR, reading), in this thread,
 *    against the bare engine call (ocr-node's detect) on the same images: ratios within one run;
 *  - whether the confidence is a probability: per family (and classic variant), fields by reported
 *    confidence bucket with the share exact, the expected calibration error, the share of fields
 *    cleared at >= 0.95 and of those exact, and the wrong NIKs reported at >= 0.95;
 *  - the other documents (KTP back, KK, SIM, passport, empty template): FAIL, and which it says.
 *
 * Which seeds of which family were used for tuning, and which are held out, is declared in
 * bench/ranges.ts (RANGES) and in docs/accuracy.md. `--misses` prints every field read wrong, which is tuning
 * information: it refuses to run on any held-out range.
 *
 *   npm run bench:accuracy                         # the held-out ranges (what to report)
 *   npm run bench:accuracy -- --set tuning         # the tuning ranges
 *   npm run bench:accuracy -- --family phone --seed 1 --count 5 --misses
 *   options: --variants clean,photo (classic only), --no-raw (skip the bare-engine baseline), --no-documents,
 *   --count N (at most N cards of each range), --no-nice (keep this thread's normal priority)
 */
import { parseArgs } from 'node:util';
import { loadModels } from '../src/providers/local/engine/models.ts';
import { lowerThisThreadsPriority } from '../src/providers/local/lower-thread-priority.ts';
import { recogniseImage } from '../src/providers/local/recognise-image.ts';
import { inspectImage, isErrorOutcome } from '../src/recognition/inspect-image.ts';
import { normaliseIdentity } from '../src/ktp/normalise.ts';
import type { RawKtpFields } from '../src/ktp/raw-fields.ts';
import { rawEngineRecognize } from './raw-engine.ts';
import { overlaps, RANGES, type Range } from './ranges.ts';
import { rangeImages } from './support/images.ts';
import { reliabilityTable, type Scored } from './support/reliability.ts';
import {
  BENCH_VARIANTS,
  DOCUMENTS,
  FAMILIES,
  HELD_OUT_FAMILY,
  isFamily,
  isVariant,
  renderDocument,
  type Variant,
} from '../tools/synthetic-ktp/index.ts';
import { answerHelp } from '../tools/usage.ts';

answerHelp(`Usage: npm run bench:accuracy -- [options]

The offline engine on generated synthetic cards (not in the repo), per renderer family: identity
rate, NIK and fields exactly as printed, latency against the bare engine call, other documents.

Options:
  --set held-out|tuning   the declared seed ranges (default held-out: what to report)
  --family F --seed N --count N   one range of your own instead
  --count N               at most N cards of each range
  --variants a,b          classic family's variants (default clean,photo...)
  --misses                print every field read wrong (refused on held-out ranges)
  --no-raw                skip the bare-engine baseline
  --no-documents          skip the other documents
  --no-nice               keep this thread's normal priority`);

const FIELDS = [
  'id', 'name', 'pob', 'dob', 'gender', 'address', 'rt', 'rw', 'village', 'district', 'city', 'province',
  'religion', 'marital_status', 'work', 'nationnality', 'blood_type', 'valid_until', 'issue_city', 'issue_date',
] as const satisfies readonly (keyof RawKtpFields)[];

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'held-out' },
    family: { type: 'string' },
    seed: { type: 'string' },
    count: { type: 'string' },
    variants: { type: 'string', default: BENCH_VARIANTS.join(',') },
    'no-raw': { type: 'boolean', default: false },
    'no-documents': { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    'no-nice': { type: 'boolean', default: false },
  },
});

let ranges: Range[];
if (values.family !== undefined) {
  if (!isFamily(values.family)) throw new Error(`unknown family ${values.family}; families: ${FAMILIES.join(', ')}`);
  const first = Number(values.seed ?? 1);
  const count = Number(values.count ?? 10);
  ranges = [{ family: values.family, first, last: first + count - 1, note: 'chosen on the command line' }];
} else if (values.set === 'tuning' || values.set === 'held-out') {
  ranges = [...(values.set === 'tuning' ? RANGES.tuning : RANGES.heldOut)];
  if (values.count !== undefined) ranges = ranges.map((r) => ({ ...r, last: Math.min(r.last, r.first + Number(values.count) - 1) }));
} else {
  throw new Error('--set is tuning or held-out');
}
if (values.misses) {
  // Any seed of the held-out family, declared or not, is refused: the family is what is held out.
  const forbidden = ranges.flatMap((r) => (r.family === HELD_OUT_FAMILY ? [r] : RANGES.heldOut.filter((h) => overlaps(r, h))));
  if (forbidden.length > 0) {
    process.stderr.write(
      `--misses refused: it prints what was read wrong, which is tuning information, and ${forbidden
        .map((h) => `${h.family} ${h.first}..${h.last}`)
        .join(', ')} ${forbidden.length === 1 ? 'is' : 'are'} held out (bench/accuracy.ts RANGES, docs/accuracy.md).\n`,
    );
    process.exit(2);
  }
}
const variants = values.variants.split(',').map((v) => v.trim());
for (const variant of variants) if (!isVariant(variant)) throw new Error(`unknown variant ${variant}`);
const withRaw = !values['no-raw'];

/** The normalised fields that print a value as read, and the raw field each must equal. */
const PRINTED: readonly [string, (i: ReturnType<typeof normaliseIdentity>) => string | null, keyof RawKtpFields][] = [
  ['nik', (i) => i.nik, 'id'],
  ['name', (i) => i.name, 'name'],
  ['birthPlace', (i) => i.birthPlace, 'pob'],
  ['address.street', (i) => i.address?.street ?? null, 'address'],
  ['address.rt', (i) => i.address?.rt ?? null, 'rt'],
  ['address.rw', (i) => i.address?.rw ?? null, 'rw'],
  ['address.village', (i) => i.address?.village ?? null, 'village'],
  ['address.district', (i) => i.address?.district ?? null, 'district'],
  ['address.city', (i) => i.address?.city ?? null, 'city'],
  ['address.province', (i) => i.address?.province ?? null, 'province'],
  ['occupation', (i) => i.occupation, 'work'],
  ['issueCity', (i) => i.issueCity, 'issue_city'],
];

interface Tally {
  images: number;
  identity: number;
  nik16: number;
  nikRight: number;
  fieldsRight: number;
  fieldsTotal: number;
  printedRight: number;
  printedTotal: number;
  rewritten: number;
  ours: number[];
  raw: number[];
}
const tally = (): Tally => ({ images: 0, identity: 0, nik16: 0, nikRight: 0, fieldsRight: 0, fieldsTotal: 0, printedRight: 0, printedTotal: 0, rewritten: 0, ours: [], raw: [] });
const perRange = new Map<string, Tally>();
const perField = new Map<string, { right: number; total: number }>(FIELDS.map((f) => [f, { right: 0, total: 0 }]));
const misses: string[] = [];
/** Every field's reported confidence and whether it was exact, per family (and per classic variant). */
const scored = new Map<string, { fields: Scored[]; niks: Scored[] }>();
const scoredIn = (group: string) => {
  let g = scored.get(group);
  if (!g) scored.set(group, (g = { fields: [], niks: [] }));
  return g;
};
const TODAY = new Date(Date.UTC(2025, 5, 30));

// Both the engine and the bare baseline run in this thread, at the workers' priority, one image at
// a time. On a machine shared with other work that priority starves the run: --no-nice keeps the
// normal one (the two are still measured alike).
if (!values['no-nice']) lowerThisThreadsPriority();
const models = await loadModels({ threads: 1 });
const started = performance.now();

for (const range of ranges) {
  const key = `${range.family} ${range.first}..${range.last}`;
  const t = tally();
  perRange.set(key, t);
  let lastSeed = range.first - 1;
  for await (const { seed, variant, card, bytes, format, where } of rangeImages(range, variants as Variant[])) {
    if (seed !== lastSeed) process.stderr.write(`\r${key}: card ${seed - range.first + 1}/${range.last - range.first + 1}   `);
    lastSeed = seed;
    const t0 = performance.now();
    const { result, asRead } = await recogniseImage(models, bytes, format);
    const oursMs = performance.now() - t0;
    const rawMs = withRaw ? (await rawEngineRecognize(bytes, { threads: 1 })).ms : Number.NaN;
    const read: Partial<RawKtpFields> = result.kind === 'identity' ? result.fields : {};
    t.images++;
    t.ours.push(oursMs);
    if (withRaw) t.raw.push(rawMs);
    if (result.kind === 'identity') t.identity++;
    if (card.nikIs16Digits) {
      t.nik16++;
      if (read.id === card.truth.id) t.nikRight++;
    }
    const groups = [scoredIn(variant ? `${range.family} ${variant}` : range.family), scoredIn('all')];
    for (const field of FIELDS) {
      const want = card.truth[field] ?? '';
      const got = read[field] ?? '';
      const score: Scored = { confidence: result.kind === 'identity' ? (result.confidence?.[field] ?? 0) : 0, exact: got === want };
      for (const g of groups) {
        g.fields.push(score);
        if (field === 'id' && card.nikIs16Digits) g.niks.push(score);
      }
      t.fieldsTotal++;
      perField.get(field)!.total++;
      if (got === want) {
        t.fieldsRight++;
        perField.get(field)!.right++;
      } else {
        if (asRead && (asRead[field] ?? '') === want) t.rewritten++;
        misses.push(`${where} ${field}: expected ${JSON.stringify(want)}, read ${JSON.stringify(got)} at ${score.confidence}${asRead ? `, glyphs ${JSON.stringify(asRead[field] ?? '')}` : ''}`);
      }
    }
    if (result.kind === 'identity') {
      const identity = normaliseIdentity(result.fields, result.confidence, TODAY);
      for (const [name, pick, rawKey] of PRINTED) {
        const want = card.truth[rawKey] ?? '';
        const got = pick(identity) ?? '';
        t.printedTotal++;
        if (got === want) t.printedRight++;
        // Normalisation must print what the provider read: any change of a right reading is a rewrite.
        else if (result.fields[rawKey] === want) {
          t.rewritten++;
          misses.push(`${where} normalised ${name}: expected ${JSON.stringify(want)}, printed ${JSON.stringify(got)}`);
        }
      }
    } else {
      t.printedTotal += PRINTED.length;
    }
  }
  process.stderr.write('\n');
}

const pct = (right: number, all: number) => (all ? `${((100 * right) / all).toFixed(1)}%` : '-');
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (x: number) => (Number.isNaN(x) ? '-' : `${Math.round(x)}`);
const all = tally();
for (const t of perRange.values()) {
  for (const k of ['images', 'identity', 'nik16', 'nikRight', 'fieldsRight', 'fieldsTotal', 'printedRight', 'printedTotal', 'rewritten'] as const) all[k] += t[k];
  all.ours.push(...t.ours);
  all.raw.push(...t.raw);
}

console.log(`ktp-gateway offline engine, ${values.family ? 'chosen range' : `${values.set} ranges`}: ${all.images} images, node ${process.version}, ${Math.round((performance.now() - started) / 1000)} s`);
console.log('');
console.log('| family seeds | use | images | identity | NIK exact (16-digit) | raw fields exact | normalised printed fields exact | rewritten | ours p50 ms | bare p50 ms | ours / bare |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const range of ranges) {
  const key = `${range.family} ${range.first}..${range.last}`;
  const t = perRange.get(key)!;
  const held = RANGES.heldOut.some((h) => overlaps(range, h)) ? 'held out' : 'tuning';
  const ratio = withRaw ? (quantile(t.ours, 0.5) / quantile(t.raw, 0.5)).toFixed(2) : '-';
  console.log(
    `| ${key} | ${held} | ${t.images} | ${pct(t.identity, t.images)} | ${pct(t.nikRight, t.nik16)} | ${pct(t.fieldsRight, t.fieldsTotal)} | ${pct(t.printedRight, t.printedTotal)} | ${t.rewritten} | ${ms(quantile(t.ours, 0.5))} | ${ms(quantile(t.raw, 0.5))} | ${ratio} |`,
  );
}
const ratio = withRaw ? (quantile(all.ours, 0.5) / quantile(all.raw, 0.5)).toFixed(2) : '-';
console.log(`| **all** | | ${all.images} | ${pct(all.identity, all.images)} | ${pct(all.nikRight, all.nik16)} | ${pct(all.fieldsRight, all.fieldsTotal)} | ${pct(all.printedRight, all.printedTotal)} | ${all.rewritten} | ${ms(quantile(all.ours, 0.5))} | ${ms(quantile(all.raw, 0.5))} | ${ratio} |`);
console.log('');
console.log('| field | exact |');
console.log('|---|---|');
for (const [field, f] of perField) console.log(`| ${field} | ${pct(f.right, f.total)} |`);
console.log('');
console.log('');
console.log('Reliability: fields by reported confidence, count and share exact (spaces and punctuation included).');
console.log('');
for (const line of reliabilityTable(new Map([...scored].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))))) console.log(line);
console.log('');
console.log(`latency, ours: p50 ${ms(quantile(all.ours, 0.5))} ms, p90 ${ms(quantile(all.ours, 0.9))} ms, p99 ${ms(quantile(all.ours, 0.99))} ms`);
if (withRaw) console.log(`latency, bare engine: p50 ${ms(quantile(all.raw, 0.5))} ms, p90 ${ms(quantile(all.raw, 0.9))} ms`);

if (!values['no-documents']) {
  console.log('');
  console.log('| other document | answer |');
  console.log('|---|---|');
  for (const kind of DOCUMENTS) {
    const { bytes } = await renderDocument(kind, 1);
    const image = inspectImage(bytes);
    if (isErrorOutcome(image)) throw new Error('generated document refused');
    const { result } = await recogniseImage(models, bytes, image.format);
    console.log(`| ${kind} | ${result.kind === 'not-a-ktp' ? `FAIL, looks like: ${result.looksLike}` : result.kind} |`);
  }
}
if (values.misses) {
  console.log('');
  console.log(`misses (${misses.length}):`);
  for (const miss of misses) console.log(`  ${miss}`);
}
