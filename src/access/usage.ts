import type { RecognitionEvent, Recognizer } from '../recognition/recognizer.ts';

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

export interface UsageLedger {
  /** Counts from `since` (a UTC day) on, for one client or (undefined) every client. */
  since(day: string, client?: string): ClientUsage[];
}

type Counts = Omit<ClientUsage, 'client' | 'since' | 'paidCallsAvoided'>;

/**
 * Usage per client and UTC day, counted from the recognizer's `onOutcome` in this process, for
 * `retentionDays` days. Each replica counts what it answered; for a fleet-wide view, sum
 * `ktp_recognitions_total` and `ktp_paid_calls_total` in Prometheus.
 */
export function createUsageLedger(recognizer: Recognizer, { retentionDays = 35, now = () => new Date() }: { retentionDays?: number; now?: () => Date } = {}): UsageLedger & { detach(): void } {
  const days = new Map<string, Map<string, Counts>>();
  const detach = recognizer.onOutcome((event: RecognitionEvent) => {
    const day = now().toISOString().slice(0, 10);
    let clients = days.get(day);
    if (!clients) {
      clients = new Map();
      days.set(day, clients);
      // A day is added once a day: the moment to forget the oldest.
      for (const old of [...days.keys()].sort().slice(0, Math.max(0, days.size - retentionDays))) days.delete(old);
    }
    let counts = clients.get(event.caller.id);
    if (!counts) {
      counts = { recognitions: 0, paidCalls: 0, cacheHits: 0, coalesced: 0, limited: 0 };
      clients.set(event.caller.id, counts);
    }
    counts.recognitions++;
    if (event.paid) counts.paidCalls++;
    if (event.source === 'cache') counts.cacheHits++;
    if (event.source === 'coalesced') counts.coalesced++;
    if (event.outcome.kind === 'error' && (event.outcome.code === 'RATE_LIMITED' || event.outcome.code === 'QUOTA_EXCEEDED')) counts.limited++;
  });

  return {
    detach,
    since(day, client) {
      const totals = new Map<string, Counts>();
      for (const [counted, clients] of days) {
        if (counted < day) continue;
        for (const [id, counts] of clients) {
          if (client !== undefined && id !== client) continue;
          const total = totals.get(id) ?? { recognitions: 0, paidCalls: 0, cacheHits: 0, coalesced: 0, limited: 0 };
          for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
          totals.set(id, total);
        }
      }
      if (client !== undefined && !totals.has(client)) totals.set(client, { recognitions: 0, paidCalls: 0, cacheHits: 0, coalesced: 0, limited: 0 });
      return [...totals]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, counts]) => ({ client: id, since: day, ...counts, paidCallsAvoided: counts.cacheHits + counts.coalesced }));
    },
  };
}
