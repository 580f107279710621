import { describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../../src/providers/provider.ts';
import { FairQueue } from '../../../src/providers/local/fair-queue.ts';
import { WorkerPool } from '../../../src/providers/local/pool.ts';

const fakeWorker = new URL('./fake-worker.mjs', import.meta.url);
const sleep = (tens: number) => Uint8Array.of('s'.charCodeAt(0), tens);

describe('FairQueue', () => {
  it('serves lanes in turn, each in its own order', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push('a', item);
    queue.push('b', 'b1');
    queue.push('c', 'c1');
    queue.push('b', 'b2');
    const order: string[] = [];
    while (queue.length > 0) order.push(queue.shift()!);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('removes a waiting item from its lane, and says when it was not waiting', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('b', 'b1');
    expect(queue.remove('a1')).toBe(true);
    expect(queue.remove('a1')).toBe(false);
    expect([queue.length, queue.shift(), queue.length]).toEqual([1, 'b1', 0]);
  });
});

describe('the worker pool, shared between clients', () => {
  it('a client flooding the queue does not make another wait behind all of it; events report depth, jobs and restarts', async () => {
    const events: ProviderEvent[] = [];
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 50, jobTimeoutMs: 5000, workerUrl: fakeWorker, onEvent: (event) => events.push(event) });
    try {
      await pool.start();
      const finished: string[] = [];
      const track = (name: string, answer: Promise<unknown>) => answer.then(() => finished.push(name));
      const flood = Array.from({ length: 8 }, (_, n) => track(`flood-${n}`, pool.run(sleep(1), 'jpeg', undefined, 'flooder')));
      const patient = track('patient', pool.run(sleep(1), 'jpeg', undefined, 'patient'));
      await Promise.all([...flood, patient]);
      // One flood job was already running; the patient client's job is next, not ninth.
      expect(finished.indexOf('patient')).toBeLessThanOrEqual(2);
      expect(Math.max(...events.filter((e) => e.type === 'queue-depth').map((e) => (e as { depth: number }).depth))).toBeGreaterThanOrEqual(7);
      expect(events.filter((e) => e.type === 'job')).toHaveLength(9);
      expect(events.at(-1)).toMatchObject({ type: 'job', result: 'failed' });

      await pool.run(Uint8Array.of('c'.charCodeAt(0)), 'jpeg');
      expect(events.filter((e) => e.type === 'worker-restart')).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });
});
