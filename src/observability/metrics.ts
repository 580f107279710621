import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KtpProvider, ProviderEvent } from '../providers/provider.ts';
import type { RecognitionEvent, Recognizer } from '../recognition/recognizer.ts';
import { outcomeLabel, requestContext } from './request-context.ts';

/**
 * The gateway's Prometheus series (prom-client), fed only by hooks: the recognizer's `onOutcome`
 * and the provider's `onEvent`. Labels are bounded and impersonal: routes, codes, sources and
 * client ids from the key file; never a hash, a name or a number read from a card.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Subscribes to a recognizer and its provider; returns the unsubscribe function. */
  attach(recognizer: Recognizer, provider: KtpProvider): () => void;
  /** One HTTP request answered. */
  observeRequest(route: string, status: number): void;
  /** `GET /metrics`'s answer. */
  respond(): Promise<Response>;
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

export function createMetrics({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Process figures (RSS, heap, event-loop lag, CPU), under their standard names.
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({ name: 'ktp_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'], registers });
  const recognitions = new Counter({
    name: 'ktp_recognitions_total',
    help: 'Recognitions answered, by route, client, where the answer came from (cache, coalesced, provider, refused) and outcome code',
    labelNames: ['route', 'client', 'source', 'outcome'],
    registers,
  });
  const paidCalls = new Counter({
    name: 'ktp_paid_calls_total',
    help: 'Charged calls to the paid API (and answers that may have been charged but could not be read: status UPSTREAM_UNAVAILABLE), by client and contract status, counted when they settle',
    labelNames: ['client', 'status'],
    registers,
  });
  const unsharedPaidCalls = new Counter({
    name: 'ktp_unshared_paid_calls_total',
    help: 'Paid calls made without the fleet lease (Redis unreachable, paused or slow): another replica may have paid for the same image',
    labelNames: ['client'],
    registers,
  });
  const lookups = new Counter({
    name: 'ktp_cache_lookups_total',
    help: 'Recognitions that reached the cache: hit, coalesced (joined a call in flight) or miss (a provider call); hit + coalesced are the paid calls avoided',
    labelNames: ['result'],
    registers,
  });
  const upstreamLatency = new Histogram({
    name: 'ktp_upstream_latency_seconds',
    help: 'One exchange with the paid API, by contract status (NO_ANSWER: timeout or no connection)',
    labelNames: ['status'],
    buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15],
    registers,
  });
  const retries = new Counter({ name: 'ktp_upstream_retries_total', help: 'Free INNER_ERROR answers asked again', registers });
  const breaker = new Gauge({ name: 'ktp_circuit_breaker_state', help: 'The paid API circuit breaker: 0 closed, 1 half-open, 2 open', registers });
  const breakerTransitions = new Counter({ name: 'ktp_circuit_breaker_transitions_total', help: 'Circuit breaker transitions, by the state entered', labelNames: ['state'], registers });
  const queueDepth = new Gauge({ name: 'ktp_engine_queue_depth', help: 'Jobs waiting for an engine worker', registers });
  const jobSeconds = new Histogram({
    name: 'ktp_engine_job_seconds',
    help: 'Engine jobs, from dispatch to answer, by result',
    labelNames: ['result'],
    buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 30],
    registers,
  });
  const restarts = new Counter({ name: 'ktp_engine_worker_restarts_total', help: 'Engine workers started in place of one that crashed or overran', registers });
  const refusals = new Counter({ name: 'ktp_limit_refusals_total', help: 'Recognitions refused by a limit, by client and limit', labelNames: ['client', 'limit'], registers });
  breaker.set(0);
  queueDepth.set(0);

  const onOutcome = (event: RecognitionEvent) => {
    if (event.paid) paidCalls.inc({ client: event.caller.id, status: outcomeLabel(event.outcome) });
    if (event.paid && event.unshared) unsharedPaidCalls.inc({ client: event.caller.id });
    // A late settlement is a paid call, not another recognition: its request was counted already.
    if (event.late) return;
    const route = requestContext.getStore()?.route ?? 'internal';
    const outcome = outcomeLabel(event.outcome);
    recognitions.inc({ route, client: event.caller.id, source: event.source, outcome });
    if (event.source === 'cache') lookups.inc({ result: 'hit' });
    else if (event.source === 'coalesced') lookups.inc({ result: 'coalesced' });
    else if (event.source === 'provider') lookups.inc({ result: 'miss' });
    if (outcome === 'RATE_LIMITED' || outcome === 'QUOTA_EXCEEDED') refusals.inc({ client: event.caller.id, limit: outcome });
  };
  const onProviderEvent = (event: ProviderEvent) => {
    switch (event.type) {
      case 'upstream-call':
        return upstreamLatency.observe({ status: event.status }, event.seconds);
      case 'retry':
        return retries.inc();
      case 'breaker':
        breaker.set(BREAKER_VALUE[event.state]);
        return breakerTransitions.inc({ state: event.state });
      case 'queue-depth':
        return queueDepth.set(event.depth);
      case 'job':
        return jobSeconds.observe({ result: event.result }, event.seconds);
      case 'worker-restart':
        return restarts.inc();
    }
  };

  return {
    registry,
    attach(recognizer, provider) {
      const offOutcome = recognizer.onOutcome(onOutcome);
      const offProvider = provider.onEvent?.(onProviderEvent);
      return () => {
        offOutcome();
        offProvider?.();
      };
    },
    observeRequest: (route, status) => requests.inc({ route, status: String(status) }),
    respond: async () => new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }),
  };
}
