/**
 * Bytes of request bodies held in memory across every request in flight. A body is charged to
 * the budget as it arrives (its whole declared Content-Length at once, so a request that cannot
 * fit is refused before a byte is read), and released when its answer is done. Each buffered
 * byte costs roughly three more while it is processed (the parsed file, the image, its base64),
 * so the budget bounds the memory of uploads in flight, however many clients send at once.
 */
export interface ByteBudget {
  /** A lease for one request; release it when the request's answer is done. */
  lease(): ByteLease;
  /** Bytes held right now. */
  readonly used: number;
  readonly max: number;
}

export interface ByteLease {
  /** Takes `bytes` more for this request; false (and nothing taken) when the budget cannot hold them. */
  take(bytes: number): boolean;
  /** Gives back everything this lease took. Idempotent. */
  release(): void;
}

export function createByteBudget(max: number): ByteBudget {
  let used = 0;
  return {
    get used() {
      return used;
    },
    max,
    lease() {
      let held = 0;
      let released = false;
      return {
        take(bytes) {
          if (released || used + bytes > max) return false;
          used += bytes;
          held += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= held;
          held = 0;
        },
      };
    },
  };
}
