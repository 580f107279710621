/**
 * Writes a set of synthetic KTP cards with ground truth.
 *   npm run cards -- --seed 1 --count 20 --out bench/out/cards [--variants clean,photo] [--family dejavu]
 */
import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_VARIANTS, FAMILIES, VARIANTS, generateFamilyCard, generateSet, isFamily, isVariant } from './index.ts';
import type { Variant } from './index.ts';

const HELP = `Usage: npm run cards -- [options]

Generates synthetic (made-up) e-KTP card images with ground truth.
Writes <out>/<id>/<variant>.<ext> and <out>/<id>/truth.json; card i uses seed + i.

Options:
  --seed <n>          first seed (default 1)
  --count <n>         number of cards (default 20)
  --out <dir>         output directory (default bench/out/cards)
  --variants <list>   comma-separated variants, or "all" (default: ${BENCH_VARIANTS.join(',')}); classic family only
  --family <name>     renderer family: ${FAMILIES.join(', ')} (default classic); the others write one
                      image per card, <out>/<id>/<family>.<ext>
  -h, --help          show this help

Variants: ${VARIANTS.join(', ')}
Same seed, same bytes. Committed test fixtures use seeds 9001, 9010, 9071, 9185 (test/fixtures/cards/README.md).
`;

function fail(msg: string): never {
  process.stderr.write(`cards: ${msg}\n\n${HELP}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        seed: { type: 'string', default: '1' },
        count: { type: 'string', default: '20' },
        out: { type: 'string', default: 'bench/out/cards' },
        variants: { type: 'string' },
        family: { type: 'string', default: 'classic' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const seed = Number(values.seed);
const count = Number(values.count);
if (!Number.isSafeInteger(seed) || seed < 0) fail(`--seed must be a non-negative integer`);
if (!Number.isSafeInteger(count) || count < 1) fail(`--count must be a positive integer`);
let variants: Variant[] = [...BENCH_VARIANTS];
if (values.variants) {
  const list = values.variants === 'all' ? [...VARIANTS] : values.variants.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((v) => !isVariant(v));
  if (bad.length) fail(`unknown variant(s): ${bad.join(', ')}`);
  variants = list as Variant[];
}

const family = values.family;
if (!isFamily(family)) fail(`unknown family ${family}`);
const started = performance.now();
let done = 0;
if (family !== 'classic') {
  for (let i = 0; i < count; i++) {
    const card = generateFamilyCard(seed + i, family);
    const dir = join(values.out, card.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'truth.json'), `${JSON.stringify(card.truth, null, 2)}\n`);
    const { bytes, ext } = await card.render();
    await writeFile(join(dir, `${family}.${ext}`), bytes);
  }
  process.stderr.write(`cards: wrote ${count} ${family} card(s) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(0);
}
await generateSet({
  seed,
  count,
  variants,
  outDir: values.out,
  onCard: (card) => {
    done++;
    if (done % 10 === 0 || done === count) process.stderr.write(`cards: ${done}/${count} (${card.id})\n`);
  },
});
process.stderr.write(
  `cards: wrote ${count} card(s) x ${variants.length} variant(s) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
