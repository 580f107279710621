/**
 * `npm run mutants`: breaks the gateway on purpose, in the ways that matter most to its users,
 * and shows which test catches each break. For every mutant: the one source line is changed in
 * place, the test files that guard it run (vitest, JSON report), the file is restored, and the
 * first failing test is printed as the one that caught it. Exits 1 if any mutant survives or no
 * longer applies (its source text moved: update the list).
 *
 * The original text is restored on every path (a failing run, an exception, Ctrl-C), and a mutant
 * is refused if its file has uncommitted changes, so a crash can always be undone with
 * `git checkout -- <file>`. Do not run other tests in this checkout meanwhile: they would see the
 * mutated file.
 *
 *   npm run mutants                    # all of them
 *   npm run mutants -- --only cache    # the mutants whose name contains "cache"
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MUTANTS, type Mutant } from './mutants/list.ts';
import { answerHelp } from './usage.ts';

answerHelp(`Usage: npm run mutants -- [--only NAME]

Breaks the gateway on purpose, one source line at a time, and shows which test catches each
break; the file is restored on every path. Exits 1 if a mutant survives or no longer applies.
Do not run other tests in this checkout meanwhile.

Options:
  --only NAME   the mutants whose name contains NAME`);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const { values } = parseArgs({ options: { only: { type: 'string' } } });

interface Verdict {
  mutant: Mutant;
  verdict: 'caught' | 'SURVIVED' | 'NOT APPLIED';
  by: string;
  seconds: number;
}

/** Restores whatever is mutated right now, also when the process is interrupted. */
let restore: (() => void) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    restore?.();
    process.exit(130);
  });
}
process.on('exit', () => restore?.());

function isClean(file: string): boolean {
  return spawnSync('git', ['diff', '--quiet', 'HEAD', '--', file], { cwd: ROOT }).status === 0;
}

/** Runs the test files and names the first test that failed, or null when all passed. */
function firstFailure(tests: readonly string[]): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ktp-mutants-'));
  const report = join(dir, 'report.json');
  try {
    spawnSync(process.execPath, [VITEST, 'run', ...tests, '--reporter=json', `--outputFile=${report}`], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let json: { testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string }[] }[] };
    try {
      json = JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      return 'the test run itself failed (no report)';
    }
    for (const file of json.testResults) {
      const failed = file.assertionResults.find((test) => test.status === 'failed');
      const where = file.name.replace(ROOT, '');
      if (failed) return `${where} › ${failed.fullName}`;
      if (file.status === 'failed') return `${where} (the file failed to run: ${file.message?.split('\n')[0] ?? ''})`;
    }
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tryMutant(mutant: Mutant): Verdict {
  const started = performance.now();
  const done = (verdict: Verdict['verdict'], by: string): Verdict => ({ mutant, verdict, by, seconds: (performance.now() - started) / 1000 });
  const path = join(ROOT, mutant.file);
  const original = readFileSync(path, 'utf8');
  const occurrences = original.split(mutant.from).length - 1;
  if (occurrences !== 1) return done('NOT APPLIED', `"${mutant.from}" occurs ${occurrences} times in ${mutant.file}`);
  if (!isClean(mutant.file)) return done('NOT APPLIED', `${mutant.file} has uncommitted changes`);
  restore = () => writeFileSync(path, original);
  try {
    writeFileSync(path, original.replace(mutant.from, mutant.to));
    const failure = firstFailure(mutant.tests);
    return failure ? done('caught', failure) : done('SURVIVED', `all of ${mutant.tests.join(', ')} passed`);
  } finally {
    restore();
    restore = undefined;
  }
}

const chosen = MUTANTS.filter((mutant) => !values.only || mutant.name.includes(values.only));
const verdicts: Verdict[] = [];
for (const mutant of chosen) {
  const verdict = tryMutant(mutant);
  verdicts.push(verdict);
  console.log(`${verdict.verdict.padEnd(11)} ${mutant.name} (${verdict.seconds.toFixed(0)} s)\n            ${verdict.by}`);
}

console.log('\n| mutant | file | verdict | caught by |\n| --- | --- | --- | --- |');
for (const { mutant, verdict, by } of verdicts) console.log(`| ${mutant.name} | ${mutant.file} | ${verdict} | ${by.replaceAll('|', '\\|')} |`);
const caught = verdicts.filter((v) => v.verdict === 'caught').length;
const total = verdicts.reduce((sum, v) => sum + v.seconds, 0);
console.log(`\n${caught} of ${verdicts.length} mutants caught in ${total.toFixed(0)} s`);
// The working tree is as it was: every mutated file restored.
execFileSync('git', ['diff', '--stat', '--', ...new Set(chosen.map((m) => m.file))], { cwd: ROOT, stdio: 'inherit' });
process.exitCode = caught === verdicts.length ? 0 : 1;
