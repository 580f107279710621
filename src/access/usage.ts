import type { RecognitionEvent } from '../recognition/recognizer.ts';

/** One client's recognitions since a day, as `Query.ktpUsage` prints them. */
export interface ClientUsage {
  client: string;
  /** The first UTC day counted, `YYYY-MM-DD`. */
  since: string;
  recognitions: number;
  /** Charged calls to the paid API. */
  paidCalls: number;
  cacheHits: number;
  /** Answers shared with an identical request already in flight. */
  coalesced: number;
  /** Cache hits plus coalesced answers: what each would have cost without the cache. */
  paidCallsAvoided: number;
  /** Refused by a limit (RATE_LIMITED, QUOTA_EXCEEDED). */
  limited: number;
}

/**
 * Usage per client and UTC day. The gateway hands it every recognizer outcome; `Query.ktpUsage`
 * reads it. In this process's memory by default (`createMemoryUsageLedger`), in Redis for a fleet
 * (`createRedisUsageLedger`).
 */
export interface UsageLedger {
  /** Counts one outcome. Never throws and never waits: counting must not slow or fail a request. */
  record(event: RecognitionEvent): void;
  /** Counts from `since` (a UTC day) on, for one client or (undefined) every client. */
  since(day: string, client?: string): Promise<ClientUsage[]>;
}

/** The counters kept per client and day: the one list both ledgers store and sum. */
export const USAGE_COUNTERS = ['recognitions', 'paidCalls', 'cacheHits', 'coalesced', 'limited'] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type UsageCounts = Record<UsageCounter, number>;

/** Default days kept, today included. */
export const USAGE_RETENTION_DAYS = 35;

/** The counters one outcome adds 1 to. */
export function countersOf(event: RecognitionEvent): UsageCounter[] {
  // A charge that landed after its request was answered: the request was counted then.
  if (event.late) return event.paid ? ['paidCalls'] : [];
  const counters: UsageCounter[] = ['recognitions'];
  if (event.paid) counters.push('paidCalls');
  if (event.source === 'cache') counters.push('cacheHits');
  if (event.source === 'coalesced') counters.push('coalesced');
  if (event.outcome.kind === 'error' && (event.outcome.code === 'RATE_LIMITED' || event.outcome.code === 'QUOTA_EXCEEDED')) counters.push('limited');
  return counters;
}

export const zeroCounts = (): UsageCounts => ({ recognitions: 0, paidCalls: 0, cacheHits: 0, coalesced: 0, limited: 0 });

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The rows `ktpUsage` answers from per-client totals: sorted by client, a zero row for a named client with none. */
export function usageRows(totals: Map<string, UsageCounts>, day: string, client: string | undefined): ClientUsage[] {
  if (client !== undefined && !totals.has(client)) totals.set(client, zeroCounts());
  return [...totals]
    .filter(([id]) => client === undefined || id === client)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, counts]) => ({ client: id, since: day, ...counts, paidCallsAvoided: counts.cacheHits + counts.coalesced }));
}

/**
 * Usage counted in this process, for `retentionDays` days. Each replica counts what it answered:
 * the default without Redis; with `REDIS_URL` the gateway uses the fleet-wide Redis ledger.
 */
export function createMemoryUsageLedger({ retentionDays = USAGE_RETENTION_DAYS, now = () => new Date() }: { retentionDays?: number; now?: () => Date } = {}): UsageLedger {
  const days = new Map<string, Map<string, UsageCounts>>();
  return {
    record(event) {
      const day = utcDay(now());
      let clients = days.get(day);
      if (!clients) {
        clients = new Map();
        days.set(day, clients);
        // A day is added once a day: the moment to forget the oldest.
        for (const old of [...days.keys()].sort().slice(0, Math.max(0, days.size - retentionDays))) days.delete(old);
      }
      let counts = clients.get(event.caller.id);
      if (!counts) {
        counts = zeroCounts();
        clients.set(event.caller.id, counts);
      }
      for (const counter of countersOf(event)) counts[counter]++;
    },
    async since(day, client) {
      const totals = new Map<string, UsageCounts>();
      for (const [counted, clients] of days) {
        if (counted < day) continue;
        for (const [id, counts] of clients) {
          if (client !== undefined && id !== client) continue;
          const total = totals.get(id) ?? zeroCounts();
          for (const counter of USAGE_COUNTERS) total[counter] += counts[counter];
          totals.set(id, total);
        }
      }
      return usageRows(totals, day, client);
    },
  };
}
