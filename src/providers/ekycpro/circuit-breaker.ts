export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit. Default 5. */
  threshold?: number;
  /** How long the open circuit refuses calls before letting one trial through, in ms. Default 10000. */
  cooldownMs?: number;
  /** Injected for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * How a call ended, as far as the upstream's health goes:
 * - `ok`: it answered (whatever it answered: a FAIL, an OK, a 4xx: it is up);
 * - `down`: it said it is down or could not be reached (HTTP 5xx, the contract's INNER_ERROR,
 *   a refused or reset connection);
 * - `timeout`: no answer in time for the image with this `key`. Alone it says little (one image
 *   may be slow for the upstream), so timeouts count once per distinct image, and not at all when
 *   the upstream answered another call after this one started.
 */
export type CallResult = { ok: true } | { ok: false; cause: 'down' } | { ok: false; cause: 'timeout'; key: string; startedAt: number };

export interface CircuitBreaker {
  /** Whether a call may go out now. In the half-open state only one trial is let through at a time. */
  tryAcquire(): boolean;
  /** Report the end of a call that `tryAcquire` allowed (`true`/`false`: ok/down). */
  record(result: CallResult | boolean): void;
  readonly state: 'closed' | 'open' | 'half-open';
}

/**
 * Stops hammering a dead upstream: after `threshold` failures in a row every call is refused at
 * once for `cooldownMs`, then a single trial decides whether to close again.
 *
 * Fair to every client: only failures that say the upstream is down are counted. One client whose
 * images make the upstream time out (resending one image, or several while others are answered)
 * does not open the circuit for everyone; a hung upstream, which times out on every image and
 * answers nobody, still does.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 10_000;
  const now = options.now ?? Date.now;
  let down = 0;
  const timedOut = new Set<string>();
  let lastAnswerAt = -Infinity;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const state = (): CircuitBreaker['state'] => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= cooldownMs ? 'half-open' : 'open';
  };

  return {
    get state() {
      return state();
    },
    tryAcquire() {
      const current = state();
      if (current === 'closed') return true;
      if (current === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    record(input) {
      const result: CallResult = input === true ? { ok: true } : input === false ? { ok: false, cause: 'down' } : input;
      const wasTrial = trialInFlight;
      trialInFlight = false;
      if (result.ok) {
        down = 0;
        timedOut.clear();
        lastAnswerAt = now();
        openedAt = null;
        return;
      }
      // A failed trial re-opens at once, whatever the cause: the upstream has not shown it is back.
      if (wasTrial) {
        openedAt = now();
        return;
      }
      if (result.cause === 'down') down++;
      else if (result.startedAt >= lastAnswerAt) timedOut.add(result.key);
      if (down + timedOut.size >= threshold) openedAt = now();
    },
  };
}
