export interface ConcurrencyLimitOptions {
  /** Calls allowed at once. */
  max: number;
  /** Calls allowed to wait for a slot, first come first served; beyond it `acquire` answers null at once. */
  maxQueue: number;
}

export interface ConcurrencyLimit {
  /**
   * A slot: resolves to its release function (call it exactly once), or to null when the wait
   * queue is full or `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | null>;
  readonly active: number;
  readonly waiting: number;
}

/**
 * A counting semaphore with a bounded, abortable FIFO queue: work beyond `max` waits its turn,
 * and beyond `maxQueue` is refused at once so the caller can answer "busy" (free, retryable)
 * instead of letting memory and latency grow. The paid provider bounds its open calls with it
 * (each holds an image and its base64 copy: 300 concurrent uploads once held 2.6 GB and 180
 * open calls), and the image validation its concurrent decodes.
 */
export function createConcurrencyLimit({ max, maxQueue }: ConcurrencyLimitOptions): ConcurrencyLimit {
  let active = 0;
  const queue: { grant: (release: (() => void) | null) => void }[] = [];

  const release = () => {
    active--;
    const next = queue.shift();
    if (next) {
      active++;
      next.grant(once(release));
    }
  };

  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(null);
      if (active < max) {
        active++;
        return Promise.resolve(once(release));
      }
      if (queue.length >= maxQueue) return Promise.resolve(null);
      return new Promise((resolve) => {
        const entry = {
          grant: (granted: (() => void) | null) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(granted);
          },
        };
        const onAbort = () => {
          const at = queue.indexOf(entry);
          if (at !== -1) queue.splice(at, 1);
          resolve(null);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
