/**
 * The breaks `npm run mutants` makes, one source text each, with the test files that must catch
 * it. Each `from` must occur exactly once in its file; the tool says so when the source moved.
 * Kept to what users would pay or suffer for: charges and caching, the contract, the reader.
 */
export interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
  /** The test files that guard this line (kept few: each mutant runs them). */
  tests: readonly string[];
}

const READER_TESTS = ['test/providers/local/reading/spaces.spec.ts', 'test/providers/local/reading/recorded-pages.spec.ts', 'test/providers/local/reading/read-card.spec.ts'];
const NIK_READER_TESTS = ['test/providers/local/reading/nik.spec.ts', 'test/providers/local/reading/recorded-pages.spec.ts'];
const CONTRACT_TESTS = ['test/rest/contract-endpoint.spec.ts', 'test/e2e/upstream-statuses.spec.ts'];
const CHARGE_TESTS = ['test/recognition/recognizer.spec.ts', 'test/e2e/upstream-statuses.spec.ts'];

export const MUTANTS: readonly Mutant[] = [
  // The reader
  { name: 'space threshold ×0.6', file: 'src/providers/local/reading/spaces.ts', from: 'const SPACE_GAP = 0.15;', to: 'const SPACE_GAP = 0.09;', tests: READER_TESTS },
  { name: 'space threshold ×1.4', file: 'src/providers/local/reading/spaces.ts', from: 'const SPACE_GAP = 0.15;', to: 'const SPACE_GAP = 0.21;', tests: READER_TESTS },
  { name: 'drop the runner-up repair of the NIK', file: 'src/providers/local/reading/nik.ts', from: 'return best ?? asRead;', to: 'return asRead;', tests: NIK_READER_TESTS },
  { name: 'a hesitant NIK digit is never repaired', file: 'src/providers/local/reading/nik.ts', from: 'const HESITANT = 0.9;', to: 'const HESITANT = 0;', tests: NIK_READER_TESTS },
  // The contract
  { name: 'a wrong contract route', file: 'src/contract.ts', from: "CONTRACT_PATH = '/v1/id_ocr/general';", to: "CONTRACT_PATH = '/v1/id_ocr/generic';", tests: CONTRACT_TESTS },
  { name: 'a wrong contract message (FAIL)', file: 'src/contract.ts', from: "FAIL: 'check input image and retry',", to: "FAIL: 'check the input image and retry',", tests: CONTRACT_TESTS },
  { name: 'a wrong contract message (INNER_ERROR)', file: 'src/contract.ts', from: "INNER_ERROR: 'Service is not available right now, please try again later',", to: "INNER_ERROR: 'Service is not available right now',", tests: CONTRACT_TESTS },
  // Charges and the cache
  {
    name: 'a cache that ignores FAIL (a charged FAIL is not kept)',
    file: 'src/recognition/recognizer.ts',
    from: "return outcome.charged || outcome.kind === 'identity' || outcome.code === 'FAIL';",
    to: "return outcome.kind === 'identity' || (outcome.charged && outcome.code !== 'FAIL');",
    tests: CHARGE_TESTS,
  },
  {
    name: "a cache that keeps a 'try again' answer (INNER_ERROR)",
    file: 'src/recognition/recognizer.ts',
    from: "return outcome.charged || outcome.kind === 'identity' || outcome.code === 'FAIL';",
    to: "return outcome.charged || outcome.kind === 'identity' || outcome.code === 'FAIL' || outcome.retryable;",
    tests: CHARGE_TESTS,
  },
  { name: 'a FAIL answered as free', file: 'src/outcome.ts', from: "charged: options.charged ?? code === 'FAIL',", to: 'charged: options.charged ?? false,', tests: ['test/providers/ekycpro/parse-answer.spec.ts', ...CONTRACT_TESTS] },
  { name: 'the coalescer does not coalesce', file: 'src/recognition/coalesce.ts', from: 'let flight = flights.get(key);', to: 'let flight = undefined as Flight<T> | undefined;', tests: ['test/recognition/coalesce.spec.ts', 'test/recognition/recognizer.spec.ts'] },
  { name: 'the cache key ignores the provider', file: 'src/recognition/recognizer.ts', from: 'const keyOf = (hash: string | null) => `${provider.name}:${hash}`;', to: 'const keyOf = (hash: string | null) => `${hash}`;', tests: ['test/recognition/recognizer.spec.ts'] },
  // Reading and checking card values
  { name: 'NIK birth day of women off by one', file: 'src/ktp/nik.ts', from: "[gender, day] = ['FEMALE', rawDay - 40];", to: "[gender, day] = ['FEMALE', rawDay - 41];", tests: ['test/ktp/nik.spec.ts'] },
  { name: 'NIK: day 31 of a man refused', file: 'src/ktp/nik.ts', from: "if (rawDay >= 1 && rawDay <= 31) gender = 'MALE';", to: "if (rawDay >= 1 && rawDay < 31) gender = 'MALE';", tests: ['test/ktp/nik.spec.ts'] },
  { name: 'February 29 never real', file: 'src/ktp/dates.ts', from: 'if (month === 2) return isLeapYear(year) ? 29 : 28;', to: 'if (month === 2) return 28;', tests: ['test/ktp/dates.spec.ts'] },
  { name: 'look-alike O→0 removed', file: 'src/ktp/look-alikes.ts', from: "  { read: 'O', printed: '0', in: DF },\n", to: '', tests: ['test/ktp/look-alikes.spec.ts', 'test/ktp/nik.spec.ts'] },
];
