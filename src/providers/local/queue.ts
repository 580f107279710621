/**
 * The offline engine as a fleet: `OCR_QUEUE=redis` puts each recognition on a BullMQ queue, and
 * any `ktp-gateway worker` that reaches Redis reads it. The gateway only enqueues and waits.
 */
import { Queue, QueueEvents } from 'bullmq';
import { contentHash } from '../../recognition/content-hash.ts';
import type { KeyRing } from '../../recognition/key-ring.ts';
import { ocrError, type ProviderOutcome } from '../../outcome.ts';
import type { ImageInfo, KtpProvider } from '../provider.ts';
import { BUSY_MESSAGE } from './index.ts';
import { bullConnection, bullPrefix, jobIdFor, OCR_JOB_NAME, OCR_QUEUE_NAME, openOutcome, sealImage, type OcrJobData } from './queue-protocol.ts';

export interface QueuedLocalProviderOptions {
  url: string;
  prefix: string;
  keys: KeyRing;
  /**
   * Jobs allowed to wait in the shared queue, fleet-wide. Beyond it a new image is answered at
   * once with the engine's retryable "busy" INNER_ERROR, as the in-process pool does. Default 16.
   */
  maxWaiting?: number;
  /** Longest a request waits for its job, in milliseconds, before a retryable error. Default 60000. */
  waitMs?: number;
  /** How often the count of live workers is refreshed for `/readyz`, in milliseconds. Default 1000. */
  refreshMs?: number;
  /** Bound on one enqueue or lookup, in milliseconds, so a lost Redis answers quickly. Default 5000. */
  commandTimeoutMs?: number;
}

export interface QueuedLocalProvider extends KtpProvider {
  readonly name: 'local';
  /** Live workers as last counted (connections of BullMQ workers on this queue). */
  readonly workersAlive: number;
  /** Counts the live workers now. */
  refresh(): Promise<number>;
  isReady(): boolean;
  readinessDetails(): Record<string, unknown>;
  close(): Promise<void>;
}

const retry = { retryable: true, charged: false } as const;

export function createQueuedLocalProvider(options: QueuedLocalProviderOptions): QueuedLocalProvider {
  const { keys } = options;
  const maxWaiting = options.maxWaiting ?? 16;
  const waitMs = options.waitMs ?? 60_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
  const connection = bullConnection(options.url);
  const prefix = bullPrefix(options.prefix);
  const queue = new Queue<OcrJobData, string>(OCR_QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      // A finished job stays briefly, so a replica asking for the same image a moment later gets
      // the answer instead of a second read; a failed one goes sooner, so a retry can run again.
      removeOnComplete: { age: 60 },
      removeOnFail: { age: 5 },
    },
  });
  const events = new QueueEvents(OCR_QUEUE_NAME, { connection, prefix });
  // BullMQ re-emits connection errors; they are answered per request (retryable), not crashed on.
  queue.on('error', () => {});
  events.on('error', () => {});

  let workersAlive = 0;
  let closed = false;
  let counting: Promise<number> | null = null;
  // One count at a time: while Redis is away, BullMQ queues commands, and a timer must not pile them up.
  const refresh = () =>
    (counting ??= within(queue.getWorkersCount(), commandTimeoutMs)
      .catch(() => 0)
      .then((alive) => {
        workersAlive = alive;
        counting = null;
        return alive;
      }));
  void refresh();
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 1000);
  timer.unref();

  async function recognize(bytes: Uint8Array, image: ImageInfo): Promise<ProviderOutcome> {
    if (closed) return ocrError('INNER_ERROR', 'the OCR engine is shutting down', retry);
    const jobId = jobIdFor(keys, contentHash(bytes));
    let job;
    try {
      if (workersAlive === 0 && (await refresh()) === 0) return ocrError('INNER_ERROR', 'no OCR worker is running; retry shortly', retry);
      // Joining a job another replica already queued for this image is never "busy".
      const existing = await within(queue.getJob(jobId), commandTimeoutMs);
      if (existing === undefined && (await within(queue.getWaitingCount(), commandTimeoutMs)) >= maxWaiting) {
        return ocrError('INNER_ERROR', BUSY_MESSAGE, retry);
      }
      job = existing ?? (await within(queue.add(OCR_JOB_NAME, sealImage(keys, jobId, bytes, image.format), { jobId }), commandTimeoutMs));
    } catch {
      return ocrError('INNER_ERROR', 'the OCR queue is unreachable; retry shortly', retry);
    }
    let sealed: unknown;
    try {
      sealed = await job.waitUntilFinished(events, waitMs);
    } catch (error) {
      const timedOut = error instanceof Error && /timed out/.test(error.message);
      return ocrError(
        'INNER_ERROR',
        timedOut ? 'no OCR worker finished this image in time; retry shortly' : 'the OCR worker reading this image stopped; retry shortly',
        retry,
      );
    }
    return openOutcome(keys, jobId, sealed) ?? ocrError('INNER_ERROR', 'an OCR worker answered with a result this gateway cannot open (another CACHE_ENCRYPTION_KEY?)', retry);
  }

  return {
    name: 'local',
    get workersAlive() {
      return workersAlive;
    },
    refresh,
    isReady: () => !closed && workersAlive > 0,
    readinessDetails: () => ({ ocrQueue: { workersAlive } }),
    recognize: (bytes, image) => recognize(bytes, image),
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.allSettled([queue.close(), events.close()]);
    },
  };
}

/** `promise`, or a rejection after `ms`: BullMQ waits for Redis indefinitely, a request must not. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // A late rejection after the deadline won is nobody's to handle.
  promise.catch(() => {});
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
