// @ts-check
/**
 * `npm run mutation`: StrykerJS on the modules that decide charges (src/recognition) and that read
 * and check card values (src/ktp). A benchmark, not part of `npm test`: it takes long. Incremental,
 * so a rerun only retests mutants whose code or tests changed (reports/stryker-incremental.json).
 * The figures are in the README's "The tests" section.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: ['src/recognition/**/*.ts', 'src/ktp/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and constants) rerun every test each: 24 % of the mutants,
  // 62 % of the time here. Left out of the score; `npm run mutants` breaks the tables that matter.
  ignoreStatic: true,
  // Two shared cores: one test process at a time.
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 80, low: 60, break: null },
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
export default config;
