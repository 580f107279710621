import type { ProviderOutcome } from '../outcome.ts';

export type ImageFormat = 'jpeg' | 'png' | 'bmp';

/** What inspection learnt of an upload before any provider sees it. */
export interface ImageInfo {
  format: ImageFormat;
  byteLength: number;
}

/** Who a provider call is for: the local engine queues clients fairly by it. */
export interface ProviderRequest {
  /** The client's id (the flight leader's, when identical requests share one call). */
  client?: string;
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
   * How long a caller waits for one call, in ms, before it is answered a free, retryable
   * `UPSTREAM_UNAVAILABLE` while the call goes on: its answer is kept and counted when it lands,
   * and a retry of the same image meanwhile joins it. For calls that cannot be taken back once
   * sent (the paid API charges what it answers). Default: callers wait for the call.
   */
  readonly answerWithinMs?: number;
  /**
   * Recognise an image that already passed inspection (known format, within the size limit).
   * `signal` aborts work nobody waits for any more; a provider that has already spent money
   * on the request still resolves normally.
   */
  recognize(bytes: Uint8Array, image: ImageInfo, signal?: AbortSignal, request?: ProviderRequest): Promise<ProviderOutcome>;
  /** Whether the provider can answer now (models loaded, key configured). Defaults to true. */
  isReady?(): boolean;
  /** What `/readyz` shows beside `ready`, e.g. how many queue workers are alive. No personal data. */
  readinessDetails?(): Record<string, unknown>;
  /** Release threads, sockets and timers. */
  close?(): Promise<void>;
  /**
   * What happens inside, for metrics and logs attached from outside (the provider imports neither).
   * Returns an unsubscribe function. Providers without events leave it out.
   */
  onEvent?(listener: (event: ProviderEvent) => void): () => void;
}

/** A provider's events. None carries an image, a field or a key: statuses, counts and seconds. */
export type ProviderEvent =
  /** One exchange with the paid API: its contract status (`OK`, `FAIL`, …) or `NO_ANSWER`. */
  | { type: 'upstream-call'; status: string; seconds: number }
  /** A free answer (`INNER_ERROR`) about to be asked again. */
  | { type: 'retry' }
  | { type: 'breaker'; state: 'closed' | 'open' | 'half-open' }
  /** Jobs waiting for an engine worker, after each change. */
  | { type: 'queue-depth'; depth: number }
  /** One engine job, from dispatch to its answer. */
  | { type: 'job'; seconds: number; result: string }
  /** An engine worker started in place of one that crashed or was retired. */
  | { type: 'worker-restart' };

/** The small emitter providers use for `onEvent`: one listener's failure is its own. */
export function createProviderEvents() {
  const listeners = new Set<(event: ProviderEvent) => void>();
  return {
    emit(event: ProviderEvent): void {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {}
      }
    },
    on(listener: (event: ProviderEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
