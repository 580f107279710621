import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutation`): those of the modules it
 * mutates (src/recognition, src/ktp), the readers built on them, and the replicas that share Redis.
 * No engine, no child processes: each mutant reruns only the tests that covered the mutated line.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/recognition/**/*.spec.ts',
      'test/ktp/**/*.spec.ts',
      'test/providers/local/reading/**/*.spec.ts',
      'test/providers/ekycpro/parse-answer.spec.ts',
      // Shared memory and its Redis link are proven by replicas on a real Redis, stopped and restarted.
      'test/e2e/replicas.spec.ts',
      'test/e2e/redis-failures.spec.ts',
    ],
  },
});
