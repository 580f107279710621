import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      // graphql 16 ships CJS (`main`) and ESM (`module`) side by side. Node, and so `tsx` in
      // production, loads the CJS one for every importer; Vite would give our inlined sources the
      // ESM one while Yoga, Pothos and graphql-tools (external) get the CJS one. Two `GraphQLError`
      // classes then fail each other's `instanceof`, and Yoga masks our errors as "Unexpected error."
      { find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.spec.ts'],
    // OCR suites warm real models; everything else is fast.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores, three files at a time: many suites mostly wait on child processes, Redis or timers
    // (queue, shutdown, client keys, the CLI), and a third file fills the cores meanwhile (on a quiet
    // machine: 149 s against 164 s with two; README, "Test suite wall time").
    fileParallelism: true,
    maxWorkers: 3,
    // Test files share their worker's modules: Yoga, Pothos, sharp, onnxruntime and our sources are
    // loaded once per worker instead of once per file, which was a third of the suite's CPU (README,
    // "Test suite wall time"). So nothing in test/support may keep state one file can leave
    // behind for another: fresh headers per upload (multipart.ts), logs kept per file (log-collector.ts).
    isolate: false,
  },
});
