import { once } from 'node:events';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

describe('lowerThisThreadsPriority', () => {
  it('lowers the OCR worker thread by 10 and leaves the event loop thread as it was', async () => {
    const mainBefore = getPriority();
    const worker = new Worker(new URL('./priority-worker.mjs', import.meta.url));
    try {
      const [report] = (await once(worker, 'message')) as [{ before: number; lowered: boolean; after: number }];
      expect(report.lowered).toBe(true);
      expect(report.after).toBe(Math.min(19, report.before + 10));
      expect(getPriority()).toBe(mainBefore);
    } finally {
      await worker.terminate();
    }
  });
});
