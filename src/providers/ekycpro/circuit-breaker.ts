export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  threshold?: number;
  /** How long the open circuit refuses calls before letting one trial through, in ms. Default 10000. */
  cooldownMs?: number;
  /** Injected for tests. Default `Date.now`. */
  now?: () => number;
}

export interface CircuitBreaker {
  /** Whether a call may go out now. In the half-open state only one trial is let through at a time. */
  tryAcquire(): boolean;
  /** Report the end of a call that `tryAcquire` allowed. */
  record(success: boolean): void;
  readonly state: 'closed' | 'open' | 'half-open';
}

/**
 * Stops hammering a dead upstream: after `threshold` failures in a row every call is refused at
 * once for `cooldownMs`, then a single trial decides whether to close again.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 10_000;
  const now = options.now ?? Date.now;
  let failures = 0;
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
    record(success) {
      const wasTrial = trialInFlight;
      trialInFlight = false;
      if (success) {
        failures = 0;
        openedAt = null;
        return;
      }
      failures++;
      // A failed trial re-opens at once; otherwise the circuit opens on the threshold-th failure.
      if (wasTrial || failures >= threshold) openedAt = now();
    },
  };
}
