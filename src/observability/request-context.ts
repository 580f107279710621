import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutcomeSource } from '../recognition/recognizer.ts';

/**
 * What one HTTP request did, gathered while it runs, for its log line and its metrics' labels.
 * The recognizer knows nothing of requests: listeners on its `onOutcome` find the request they
 * belong to here, through the async context the request runs in.
 */
export interface RequestRecord {
  /** `x-request-id` when the client sent a sane one, otherwise a fresh UUID. */
  id: string;
  /** `graphql`, `subgraph`, `rest`, `metrics`, `health`, or `other`: a bounded label. */
  route: string;
  client?: string;
  recognitions: RecognitionNote[];
}

/** One recognition of a request: codes and counts, and the first 8 hex of its hash, never more. */
export interface RecognitionNote {
  outcome: string;
  source: OutcomeSource;
  cached: boolean;
  charged: boolean;
  hash: string | null;
  ms: number;
}

export const requestContext = new AsyncLocalStorage<RequestRecord>();

/** The outcome label: `OK` for an identity (as the contract names it), the error code otherwise. */
export function outcomeLabel(outcome: { kind: 'identity' } | { kind: 'error'; code: string }): string {
  return outcome.kind === 'identity' ? 'OK' : outcome.code;
}

/** A content hash cut to what a log may carry: enough to match two lines, too little to test an image against. */
export function shortHash(hash: string | null): string | null {
  return hash === null ? null : hash.slice(0, 8);
}
