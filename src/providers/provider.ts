import type { ProviderOutcome } from '../outcome.ts';

export type ImageFormat = 'jpeg' | 'png' | 'bmp';

/** What inspection learnt of an upload before any provider sees it. */
export interface ImageInfo {
  format: ImageFormat;
  byteLength: number;
}

/**
 * One way of turning an image into KTP fields. A provider never caches and never throws for a
 * bad answer from the world: timeouts, HTTP errors and engine failures become an `ErrorOutcome`.
 */
export interface KtpProvider {
  /** `ekycpro` or `local`; namespaces cache keys so two providers never share answers. */
  readonly name: string;
  /** True when its calls may be charged (the paid API): only these spend a client's daily budget. Default false. */
  readonly paid?: boolean;
  /**
   * Recognise an image that already passed inspection (known format, within the size limit).
   * `signal` aborts work nobody waits for any more; a provider that has already spent money
   * on the request still resolves normally.
   */
  recognize(bytes: Uint8Array, image: ImageInfo, signal?: AbortSignal): Promise<ProviderOutcome>;
  /** Whether the provider can answer now (models loaded, key configured). Defaults to true. */
  isReady?(): boolean;
  /** What `/readyz` shows beside `ready`, e.g. how many queue workers are alive. No personal data. */
  readinessDetails?(): Record<string, unknown>;
  /** Release threads, sockets and timers. */
  close?(): Promise<void>;
}
