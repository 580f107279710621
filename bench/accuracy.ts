/**
 * `npm run bench:accuracy`: the offline engine on generated synthetic cards that are not in the repo.
 * Prints, measured in one run on this machine:
 *  - exact-match accuracy per field and per degradation (a field counts only if it equals what the
 *    card prints, spaces included), and NIK accuracy;
 *  - latency percentiles of our whole pipeline (decode, orientation, card finding, OCR, reading)
 *    against the bare engine call (ocr-node's detect) on the same images, both one image at a time
 *    with one onnxruntime thread, so the two are comparable.
 *
 *   npm run bench:accuracy -- [--seed 1] [--count 20] [--variants clean,photo] [--no-raw] [--misses]
 *
 * `--misses` also lists every field read wrong, expected against read (synthetic cards only, so
 * printing their values is harmless; never point this at real cards).
 *
 * Seeds from 9000 up are the test fixtures; the default range (1..20) is held out from them.
 */
import { parseArgs } from 'node:util';
import { createLocalProvider } from '../src/providers/local/index.ts';
import { lowerThisThreadsPriority } from '../src/providers/local/lower-thread-priority.ts';
import { rawEngineRecognize } from './raw-engine.ts';
import { inspectImage, isErrorOutcome } from '../src/recognition/inspect-image.ts';
import type { RawKtpFields } from '../src/ktp/raw-fields.ts';
import { BENCH_VARIANTS, generateCard, isVariant, type Variant } from '../tools/synthetic-ktp/index.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '20' },
    variants: { type: 'string', default: BENCH_VARIANTS.join(',') },
    'no-raw': { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
  },
});
const firstSeed = Number(values.seed);
const count = Number(values.count);
const variants = values.variants.split(',').map((v) => v.trim());
for (const variant of variants) if (!isVariant(variant)) throw new Error(`unknown variant ${variant}`);
const withRaw = !values['no-raw'];

const FIELDS = [
  'id', 'name', 'pob', 'dob', 'gender', 'address', 'rt', 'rw', 'village', 'district', 'city', 'province',
  'religion', 'marital_status', 'work', 'nationnality', 'blood_type', 'valid_until', 'issue_city', 'issue_date',
] as const satisfies readonly (keyof RawKtpFields)[];

interface Tally {
  cards: number;
  nikRight: number;
  fieldsRight: number;
  fieldsTotal: number;
  recognised: number;
  ours: number[];
  raw: number[];
}
const tally = (): Tally => ({ cards: 0, nikRight: 0, fieldsRight: 0, fieldsTotal: 0, recognised: 0, ours: [], raw: [] });
const byVariant = new Map<string, Tally>(variants.map((v) => [v, tally()]));
const total = tally();
const misses: string[] = [];
const perField = new Map<string, { right: number; total: number }>(FIELDS.map((f) => [f, { right: 0, total: 0 }]));

// The provider's workers run at a lower priority (src/providers/local/lower-thread-priority.ts);
// the bare engine runs in this thread, so it gets the same, and neither is favoured by the scheduler.
lowerThisThreadsPriority();

// One worker, one thread: the same compute as the bare engine call below, one image at a time.
const provider = createLocalProvider({ poolSize: 1, threadsPerWorker: 1, maxQueue: 1 });
await provider.warmUp();

const started = performance.now();
for (let seed = firstSeed; seed < firstSeed + count; seed++) {
  const card = generateCard(seed);
  for (const variant of variants as Variant[]) {
    const { bytes } = await card.render(variant);
    const image = inspectImage(bytes);
    if (isErrorOutcome(image)) throw new Error(`generated ${variant} image refused: ${image.code}`);

    const t0 = performance.now();
    const outcome = await provider.recognize(bytes, image);
    const oursMs = performance.now() - t0;
    const rawMs = withRaw ? (await rawEngineRecognize(bytes, { threads: 1 })).ms : Number.NaN;

    const read: Partial<RawKtpFields> = outcome.kind === 'identity' ? outcome.fields : {};
    for (const t of [byVariant.get(variant)!, total]) {
      t.cards++;
      if (outcome.kind === 'identity') t.recognised++;
      if (read.id === card.truth.id) t.nikRight++;
      t.ours.push(oursMs);
      if (withRaw) t.raw.push(rawMs);
      for (const field of FIELDS) {
        t.fieldsTotal++;
        if ((read[field] ?? '') === (card.truth[field] ?? '')) t.fieldsRight++;
      }
    }
    for (const field of FIELDS) {
      const f = perField.get(field)!;
      f.total++;
      if ((read[field] ?? '') === (card.truth[field] ?? '')) f.right++;
      else misses.push(`${seed} ${variant} ${field}: expected ${JSON.stringify(card.truth[field] ?? '')}, read ${JSON.stringify(read[field] ?? '')}`);
    }
  }
  process.stderr.write(`\rcards ${seed - firstSeed + 1}/${count}`);
}
process.stderr.write('\n');
await provider.close();

const pct = (right: number, all: number) => (all ? `${((100 * right) / all).toFixed(1)}%` : '-');
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (x: number) => (Number.isNaN(x) ? '-' : `${Math.round(x)}`);

console.log(`ktp-gateway offline engine: ${count} cards (seeds ${firstSeed}..${firstSeed + count - 1}) x ${variants.length} variants, node ${process.version}, ${Math.round((performance.now() - started) / 1000)} s`);
console.log('');
console.log('| variant | images | recognised | NIK exact | fields exact | ours p50 ms | ours p90 ms | raw engine p50 ms | ours / raw (p50) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [name, t] of [...byVariant.entries(), ['all', total] as const]) {
  const ratio = withRaw ? (quantile(t.ours, 0.5) / quantile(t.raw, 0.5)).toFixed(2) : '-';
  console.log(
    `| ${name} | ${t.cards} | ${pct(t.recognised, t.cards)} | ${pct(t.nikRight, t.cards)} | ${pct(t.fieldsRight, t.fieldsTotal)} | ${ms(quantile(t.ours, 0.5))} | ${ms(quantile(t.ours, 0.9))} | ${ms(quantile(t.raw, 0.5))} | ${ratio} |`,
  );
}
console.log('');
console.log('| field | exact |');
console.log('|---|---|');
for (const [field, f] of perField) console.log(`| ${field} | ${pct(f.right, f.total)} |`);
console.log('');
console.log(`latency, ours: p50 ${ms(quantile(total.ours, 0.5))} ms, p90 ${ms(quantile(total.ours, 0.9))} ms, p99 ${ms(quantile(total.ours, 0.99))} ms`);
if (withRaw) {
  console.log(`latency, raw engine: p50 ${ms(quantile(total.raw, 0.5))} ms, p90 ${ms(quantile(total.raw, 0.9))} ms, p99 ${ms(quantile(total.raw, 0.99))} ms`);
}
if (values.misses) {
  console.log('');
  console.log(`misses (${misses.length}):`);
  for (const miss of misses) console.log(`  ${miss}`);
}
