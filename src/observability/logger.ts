import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { RecognitionEvent, Recognizer } from '../recognition/recognizer.ts';
import { outcomeLabel, requestContext, shortHash, type RequestRecord } from './request-context.ts';

export type { Logger };

export interface LoggerOptions {
  /** `LOG_LEVEL`, default `info`; `silent` turns logging off. */
  level?: LevelWithSilent;
  /** Default stdout. Tests pass a stream that keeps the lines. */
  destination?: DestinationStream;
}

/**
 * JSON lines (pino). What is logged is chosen field by field, never an object passed through: a
 * request line and an audit line carry ids, codes, counts, durations and 8 hex of a hash, and
 * nothing read from a card or an image (no NIK, no name, no address, no bytes, no key).
 */
export function createLogger({ level = 'info', destination }: LoggerOptions = {}): Logger {
  return pino({ level, base: { service: 'ktp-gateway' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * Notes each recognition in the request it belongs to (for the request's line and the metrics'
 * route label), and writes one audit line per paid call, as it happens.
 */
export function attachAuditLog(recognizer: Recognizer, logger: Logger): () => void {
  return recognizer.onOutcome((event: RecognitionEvent) => {
    const record = requestContext.getStore();
    const outcome = outcomeLabel(event.outcome);
    const hash = shortHash(event.outcome.contentHash);
    // A late settlement still runs in its request's context, but that request's line is written.
    if (record && !event.late) {
      if (record.client === undefined) record.client = event.caller.id;
      record.recognitions.push({ outcome, source: event.source, cached: event.outcome.cached, charged: event.paid, hash, ms: round(event.durationMs) });
    }
    if (!event.paid) return;
    const line = {
      audit: 'paid-call',
      reqId: record?.id,
      client: event.caller.id,
      status: outcome,
      hash,
      upstreamMs: round(event.providerMs ?? 0),
      ...(event.late ? { late: true } : {}),
      ...(event.outcome.kind === 'error' && event.outcome.maybeCharged ? { maybeCharged: true } : {}),
    };
    // Without the lease another replica may have paid for the same image: an operator must see it.
    if (event.unshared) logger.warn({ ...line, unshared: true }, 'paid call made without the fleet lease (Redis unreachable or slow): the image may be paid twice');
    else logger.info(line, event.late ? 'paid call settled after its request was answered' : 'paid call');
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Runs `handle` inside a request record and writes its line when it is answered: request id,
 * client, route, status, outcome code, cached/charged, the hash's first 8 hex, durations. The
 * request id comes back in `x-request-id`.
 */
export function observeRequests<Context>(
  handle: (request: Request, context?: Context) => Promise<Response>,
  { logger, routeOf, onAnswered }: { logger: Logger; routeOf: (pathname: string) => string; onAnswered?: (record: RequestRecord, status: number) => void },
): (request: Request, context?: Context) => Promise<Response> {
  return async (request, context) => {
    const given = request.headers.get('x-request-id');
    const record: RequestRecord = {
      id: given !== null && REQUEST_ID.test(given) ? given : randomUUID(),
      route: routeOf(new URL(request.url).pathname),
      recognitions: [],
    };
    const startedAt = performance.now();
    const response = await requestContext.run(record, () => handle(request, context));
    onAnswered?.(record, response.status);
    const first = record.recognitions[0];
    logger.info(
      {
        reqId: record.id,
        client: record.client,
        route: record.route,
        method: request.method,
        status: response.status,
        ms: round(performance.now() - startedAt),
        ...(first
          ? { outcome: first.outcome, source: first.source, cached: first.cached, charged: first.charged, hash: first.hash, recognitionMs: first.ms }
          : {}),
        ...(record.recognitions.length > 1 ? { recognitions: record.recognitions.length } : {}),
      },
      'request',
    );
    try {
      response.headers.set('x-request-id', record.id);
    } catch {
      // Some responses (a redirect made by Response.redirect) have immutable headers; the line still has the id.
    }
    return response;
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
