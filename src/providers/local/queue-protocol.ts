/**
 * What travels through the BullMQ queue between gateways and `ktp-gateway worker` processes.
 * Images and answers are personal data, so both are sealed with the cache's key ring (bound to
 * the job), and the job id is a keyed digest of the image, never its plain hash: a dump of Redis
 * shows neither what was read nor which images were seen.
 */
import type { ConnectionOptions } from 'bullmq';
import type { ProviderOutcome } from '../../outcome.ts';
import type { KeyRing } from '../../recognition/key-ring.ts';
import type { ImageFormat } from '../provider.ts';

export const OCR_QUEUE_NAME = 'ocr';
export const OCR_JOB_NAME = 'read';

export interface OcrJobData {
  /** base64 of the sealed image bytes. */
  image: string;
  format: ImageFormat;
}

/** BullMQ's own keys live under the gateway's prefix, so one `REDIS_PREFIX` holds everything. */
export const bullPrefix = (prefix: string) => `${prefix}:bull`;

/** The same image gets the same id on every replica, so BullMQ enqueues it once. */
export const jobIdFor = (keys: KeyRing, contentHash: string) => `ocr-${keys.name(`ocr-job:${contentHash}`)}`;

export function sealImage(keys: KeyRing, jobId: string, bytes: Uint8Array, format: ImageFormat): OcrJobData {
  return { image: keys.seal(bytes, `${jobId}:image`).toString('base64'), format };
}

export function openImage(keys: KeyRing, jobId: string, data: OcrJobData): Uint8Array | null {
  return keys.open(Buffer.from(data.image, 'base64'), `${jobId}:image`);
}

export function sealOutcome(keys: KeyRing, jobId: string, outcome: ProviderOutcome): string {
  return keys.seal(Buffer.from(JSON.stringify(outcome)), `${jobId}:outcome`).toString('base64');
}

export function openOutcome(keys: KeyRing, jobId: string, sealed: unknown): ProviderOutcome | null {
  if (typeof sealed !== 'string') return null;
  const plain = keys.open(Buffer.from(sealed, 'base64'), `${jobId}:outcome`);
  if (plain === null) return null;
  try {
    return JSON.parse(plain.toString('utf8')) as ProviderOutcome;
  } catch {
    return null;
  }
}

/** Connection options for BullMQ: reconnect within a second of Redis coming back. */
export function bullConnection(url: string): ConnectionOptions {
  return { url, retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), 1000) };
}
