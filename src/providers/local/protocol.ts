/**
 * Messages between the provider (main thread) and an OCR worker. Plain structured-clone data;
 * image bytes travel as a transferred ArrayBuffer so a 2 MiB upload is not copied twice.
 */
import type { FieldBoxes, FieldConfidence, RawKtpFields } from '../../ktp/raw-fields.ts';
import type { LooksLike } from './read-card.ts';
import type { ImageFormat } from '../provider.ts';

export interface WorkerConfig {
  /** onnxruntime intra-op threads for each of the worker's sessions. */
  threads: number;
}

export type ToWorker = { type: 'job'; id: number; bytes: ArrayBuffer; format: ImageFormat };

/** What a job produced. */
export type JobResult =
  | { kind: 'identity'; fields: RawKtpFields; confidence: FieldConfidence; boxes: FieldBoxes }
  | { kind: 'not-a-ktp'; looksLike: LooksLike }
  | { kind: 'undecodable'; message: string }
  | { kind: 'failed'; message: string };

export type FromWorker =
  | { type: 'ready'; loadMs: number }
  | { type: 'load-failed'; message: string }
  | { type: 'done'; id: number; result: JobResult };
