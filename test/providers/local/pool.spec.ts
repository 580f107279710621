import { afterEach, describe, expect, it } from 'vitest';
import { createLocalProvider, type LocalProvider } from '../../../src/providers/local/index.ts';
import { WorkerPool } from '../../../src/providers/local/pool.ts';

const fakeWorker = new URL('./fake-worker.mjs', import.meta.url);
const image = { format: 'jpeg' as const, byteLength: 2 };
/** A job for the fake worker: `op` 's' sleeps `tens` × 10 ms, 'c' crashes, 'h' hangs, 'e' echoes its length. */
const job = (op: 's' | 'c' | 'h' | 'e', tens = 0) => Uint8Array.of(op.charCodeAt(0), tens);

let provider: LocalProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

describe('the local provider’s worker pool (fake engine)', () => {
  it('is not ready before warm-up and ready after it', async () => {
    provider = createLocalProvider({ poolSize: 2, workerUrl: fakeWorker });
    expect(provider.name).toBe('local');
    expect(provider.isReady()).toBe(false);
    await provider.warmUp();
    expect(provider.isReady()).toBe(true);
  });

  it('answers busy at once beyond the queue, without running the job', async () => {
    provider = createLocalProvider({ poolSize: 1, maxQueue: 1, workerUrl: fakeWorker });
    await provider.warmUp();
    const running = provider.recognize(job('s', 20), image);
    const queued = provider.recognize(job('s', 1), image);
    const started = performance.now();
    const refused = await provider.recognize(job('s', 1), image);
    expect(performance.now() - started).toBeLessThan(50);
    expect(refused).toEqual({ kind: 'error', code: 'INNER_ERROR', message: 'the OCR engine is busy, retry shortly', charged: false, retryable: true });
    expect(await running).toMatchObject({ message: 'the OCR engine failed on this image' });
    await queued;
    // The refused job never reached the worker: the next one is only its third.
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 1, jobTimeoutMs: 5000, workerUrl: fakeWorker });
    try {
      await pool.start();
      const first = pool.run(job('s', 20), 'jpeg');
      const second = pool.run(job('s'), 'jpeg');
      expect(await pool.run(job('s'), 'jpeg')).toEqual({ kind: 'busy' });
      expect(await first).toEqual({ kind: 'failed', message: 'job 1' });
      expect(await second).toEqual({ kind: 'failed', message: 'job 2' });
      expect(await pool.run(job('s'), 'jpeg')).toEqual({ kind: 'failed', message: 'job 3' });
    } finally {
      await pool.close();
    }
  });

  it('hands the worker only the job’s bytes when they are a Buffer cut out of a larger body (an upload)', async () => {
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 1, jobTimeoutMs: 5000, workerUrl: fakeWorker });
    try {
      await pool.start();
      // How the HTTP path hands over an upload: a view into the request body's buffer.
      const body = Buffer.alloc(4096, 0x2d);
      body.set(job('e'), 1000);
      const upload = body.subarray(1000, 1100);
      expect(await pool.run(upload, 'jpeg')).toEqual({ kind: 'failed', message: 'bytes 100' });
      // The caller's bytes are still its own (it hashes them, and may retry).
      expect(upload.byteLength).toBe(100);
    } finally {
      await pool.close();
    }
  });

  it('drops a job whose signal aborts while it waits, and finishes the running one', async () => {
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 4, jobTimeoutMs: 5000, workerUrl: fakeWorker });
    try {
      await pool.start();
      const runningController = new AbortController();
      const running = pool.run(job('s', 15), 'jpeg', runningController.signal);
      const controller = new AbortController();
      const waiting = pool.run(job('s'), 'jpeg', controller.signal);
      controller.abort();
      runningController.abort();
      expect(await waiting).toEqual({ kind: 'aborted' });
      expect(await running).toEqual({ kind: 'failed', message: 'job 1' });
      // The aborted job never ran.
      expect(await pool.run(job('s'), 'jpeg')).toEqual({ kind: 'failed', message: 'job 2' });
      const already = new AbortController();
      already.abort();
      expect(await pool.run(job('s'), 'jpeg', already.signal)).toEqual({ kind: 'aborted' });
    } finally {
      await pool.close();
    }
  });

  it('replaces a crashed worker and answers its job with a retryable error', async () => {
    provider = createLocalProvider({ poolSize: 1, workerUrl: fakeWorker });
    await provider.warmUp();
    const crashed = await provider.recognize(job('c'), image);
    expect(crashed).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, charged: false });
    // The replacement takes the next job (its first).
    expect(await provider.recognize(job('s'), image)).toMatchObject({ kind: 'error', code: 'INNER_ERROR' });
    await provider.warmUp();
    expect(provider.isReady()).toBe(true);
  });

  it('answers a job that overruns the timeout at once, and replaces its worker once the run ends', async () => {
    provider = createLocalProvider({ poolSize: 1, jobTimeoutMs: 150, workerUrl: fakeWorker });
    await provider.warmUp();
    const started = performance.now();
    const slow = await provider.recognize(job('s', 60), image);
    expect(performance.now() - started).toBeLessThan(500);
    expect(slow).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, message: expect.stringContaining('too long') });
    // Not ready while the overrunning worker finishes and its replacement loads.
    expect(provider.isReady()).toBe(false);
    // The next job waits for the replacement: a fresh worker, so this is its first job.
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 4, jobTimeoutMs: 150, workerUrl: fakeWorker });
    try {
      await pool.start();
      expect(await pool.run(job('s', 60), 'jpeg')).toEqual({ kind: 'timeout' });
      expect(await pool.run(job('s'), 'jpeg')).toEqual({ kind: 'failed', message: 'job 1' });
      await pool.start();
      expect(pool.ready).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('answers waiting and running jobs when closed, and refuses new ones', async () => {
    provider = createLocalProvider({ poolSize: 1, workerUrl: fakeWorker });
    await provider.warmUp();
    const running = provider.recognize(job('s', 30), image);
    const waiting = provider.recognize(job('s'), image);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await provider.close();
    expect(provider.isReady()).toBe(false);
    for (const outcome of [await running, await waiting, await provider.recognize(job('s'), image)]) {
      expect(outcome).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, charged: false });
    }
    await expect(provider.warmUp()).rejects.toThrow(/closed/);
  });

  it('does not let a wedged engine hold close() past its grace period', async () => {
    const pool = new WorkerPool({ size: 1, threadsPerWorker: 1, maxQueue: 4, jobTimeoutMs: 5000, closeGraceMs: 200, workerUrl: fakeWorker });
    await pool.start();
    const wedged = pool.run(job('h'), 'jpeg');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await wedged).toEqual({ kind: 'closed' });
  });

  it('warms up on the first request when nobody called warmUp()', async () => {
    provider = createLocalProvider({ poolSize: 1, workerUrl: fakeWorker });
    expect(await provider.recognize(job('s'), image)).toMatchObject({ message: 'the OCR engine failed on this image' });
    expect(provider.isReady()).toBe(true);
  });
});

describe('closing during warm-up', () => {
  it('rejects a warmUp() in progress instead of leaving it pending', async () => {
    const local = createLocalProvider({ poolSize: 1, workerUrl: fakeWorker });
    // The expectation is attached before close() so the rejection is never momentarily unhandled.
    const warming = expect(local.warmUp()).rejects.toThrow(/closed/);
    await local.close();
    await warming;
  });
});
