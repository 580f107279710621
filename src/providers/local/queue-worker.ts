/**
 * `ktp-gateway worker`: the offline engine serving the shared BullMQ queue. It warms its OCR
 * worker threads first and only then takes jobs, one per thread, so a job is never held by a
 * process that cannot read it yet. A job whose worker process dies is not lost: its lock stops
 * being renewed, BullMQ's stalled-job check (run by every worker) moves it back to the queue and
 * another worker reads it; a job that stalls twice fails, and its requester answers a retryable error.
 */
import { availableParallelism, hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { KeyRing } from '../../recognition/key-ring.ts';
import { createLocalProvider, type LocalProviderOptions } from './index.ts';
import { bullConnection, bullPrefix, OCR_QUEUE_NAME, openImage, sealOutcome, type OcrJobData } from './queue-protocol.ts';

export interface QueueWorkerOptions extends Pick<LocalProviderOptions, 'poolSize' | 'threadsPerWorker' | 'jobTimeoutMs' | 'workerUrl'> {
  url: string;
  prefix: string;
  keys: KeyRing;
  /** How long this worker's hold on a job lasts without renewal, in milliseconds. Default 30000. */
  lockMs?: number;
  log?: (line: string) => void;
}

export interface QueueWorker {
  /** Jobs this process has finished. */
  readonly completed: number;
  /** Stops taking jobs, finishes the ones in hand, and stops the engine. */
  close(): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { keys, log = () => {} } = options;
  // The same default as the in-process engine: one OCR thread per core, at most two.
  const poolSize = Math.max(1, options.poolSize ?? Math.min(2, availableParallelism()));
  const engine = createLocalProvider({
    poolSize,
    threadsPerWorker: options.threadsPerWorker,
    jobTimeoutMs: options.jobTimeoutMs,
    workerUrl: options.workerUrl,
  });
  await engine.warmUp();
  const concurrency = poolSize;
  const lockMs = options.lockMs ?? 30_000;
  let completed = 0;

  const worker = new Worker<OcrJobData, string>(
    OCR_QUEUE_NAME,
    async (job) => {
      const bytes = openImage(keys, job.id!, job.data);
      // Not retried: another attempt would fail the same way (a worker with another key ring).
      if (bytes === null) throw new UnrecoverableError('this worker cannot open the job (another CACHE_ENCRYPTION_KEY?)');
      const outcome = await engine.recognize(bytes, { format: job.data.format, byteLength: bytes.byteLength });
      completed++;
      return sealOutcome(keys, job.id!, outcome);
    },
    {
      connection: bullConnection(options.url),
      prefix: bullPrefix(options.prefix),
      name: `${hostname()}:${process.pid}`,
      concurrency,
      lockDuration: lockMs,
      // Checked often enough that a dead worker's job waits about one lock duration, not two.
      stalledInterval: Math.max(250, Math.floor(lockMs / 2)),
      maxStalledCount: 1,
    },
  );
  worker.on('error', () => {
    // Connection trouble: BullMQ reconnects by itself; the requesters answer retryable errors meanwhile.
  });
  await worker.waitUntilReady();
  log(`ktp-gateway worker: reading queue "${OCR_QUEUE_NAME}" with ${concurrency} OCR thread(s)`);

  return {
    get completed() {
      return completed;
    },
    async close() {
      await worker.close();
      await engine.close();
    },
  };
}
