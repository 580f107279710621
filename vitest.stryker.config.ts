import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutation`): those of the modules it
 * mutates (src/recognition, src/ktp) and the readers built on them. No engine, no child processes:
 * each mutant reruns only the tests that covered the mutated line.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/recognition/**/*.spec.ts', 'test/ktp/**/*.spec.ts', 'test/providers/local/reading/**/*.spec.ts', 'test/providers/ekycpro/parse-answer.spec.ts'],
  },
});
