/**
 * Shares one piece of work between every caller that asks for the same key while it runs.
 * The work gets its own AbortSignal, aborted only when every caller has given up: one client
 * disconnecting must not cancel a recognition that others (or the cache) still want.
 */
export interface Coalescer<T> {
  /** Run `work` for `key`, or join the run already in flight. `joined` says which happened. */
  run(key: string, work: (signal: AbortSignal, run?: FlightRun) => Promise<T>, callerSignal?: AbortSignal): Promise<{ value: T; joined: boolean }>;
  /** How many keys are in flight; for tests and metrics. */
  readonly size: number;
}

/** What the coalescer tells the work it runs. Undefined: there is no fleet to share with (one process). */
export interface FlightRun {
  /** True when a fleet's coalescer ran the work without its lease (Redis unreachable or too slow): another replica may run the same. */
  unshared?: boolean;
}

/**
 * A waiter gave up on a run held elsewhere (another replica's lease) after its bounded wait.
 * Nothing was paid on this caller's behalf; the same request may be retried.
 */
export class CoalesceTimeoutError extends Error {
  override name = 'CoalesceTimeoutError';
}

/**
 * The run could not be shared (the shared store is unreachable) and the coalescer was told to
 * fail closed rather than run unshared work. Nothing was run; the same request may be retried.
 */
export class SharingUnavailableError extends Error {
  override name = 'SharingUnavailableError';
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

export function createCoalescer<T>(): Coalescer<T> {
  const flights = new Map<string, Flight<T>>();

  return {
    get size() {
      return flights.size;
    },
    async run(key, work, callerSignal) {
      let flight = flights.get(key);
      const joined = flight !== undefined;
      if (!flight) {
        const controller = new AbortController();
        const started: Flight<T> = { controller, waiters: 0, promise: Promise.resolve(undefined as T) };
        started.promise = (async () => {
          try {
            return await work(controller.signal);
          } finally {
            // Settled either way: later callers must start afresh (or find the result in the cache).
            flights.delete(key);
          }
        })();
        flights.set(key, started);
        flight = started;
      }
      const current = flight;
      current.waiters++;
      const leave = () => {
        current.waiters--;
        if (current.waiters === 0) current.controller.abort(callerSignal?.reason);
      };
      callerSignal?.addEventListener('abort', leave, { once: true });
      try {
        return { value: await current.promise, joined };
      } finally {
        // Removed on every path so a long-lived request signal does not keep this flight reachable.
        callerSignal?.removeEventListener('abort', leave);
      }
    },
  };
}
