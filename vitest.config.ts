import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // OCR suites warm real models; everything else is fast.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: OCR worker pools in parallel files would fight for them.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
