/**
 * Messages between the provider (main thread) and an OCR worker. Plain structured-clone data;
 * image bytes travel as a transferred ArrayBuffer so a 2 MiB upload is not copied twice.
 */
import type { FieldConfidence, RawKtpFields } from '../../recognition/outcome.ts';
import type { ImageFormat } from '../../recognition/inspect-image.ts';

export interface WorkerConfig {
  /** onnxruntime intra-op threads for each of the worker's sessions. */
  threads: number;
}

export type ToWorker = { type: 'job'; id: number; bytes: ArrayBuffer; format: ImageFormat };

/** What a job produced; never any image content in `steps`, only what the pipeline did and how long it took. */
export type JobResult =
  | { kind: 'identity'; fields: RawKtpFields; confidence: FieldConfidence; steps: JobSteps }
  | { kind: 'not-a-ktp'; steps: JobSteps }
  | { kind: 'undecodable'; message: string }
  | { kind: 'failed'; message: string };

export interface JobSteps {
  cardFound: boolean;
  quarterTurned: boolean;
  levelledDegrees: number;
  upsideDown: boolean;
  /** Milliseconds per stage, decode through card reading. */
  timings: Record<string, number>;
}

export type FromWorker =
  | { type: 'ready'; loadMs: number }
  | { type: 'load-failed'; message: string }
  | { type: 'done'; id: number; result: JobResult };
