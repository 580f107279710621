import DataLoader from 'dataloader';
import type { Outcome } from '../outcome.ts';
import type { Client } from '../access/client.ts';
import type { UsageLedger } from '../access/usage.ts';
import type { Recognizer } from '../recognition/recognizer.ts';
import type { RecognitionReferences } from './recognition-references.ts';

export interface Upload {
  bytes: Uint8Array;
  contentHash: string;
}

/** What every resolver sees: one per operation. */
export interface GraphQLContext {
  recognizer: Recognizer;
  /**
   * Recognitions of this operation, one per distinct image: aliases that send the same file
   * share one call. (Across operations the recognizer's in-flight map does the same.)
   */
  recognitions: DataLoader<Upload, Outcome, string>;
  /** Pinned per operation so every field of one answer agrees on "today" (NIK century choice). */
  now: Date;
  /**
   * Set only where federation's `_entities` is served (the subgraph path): who is asking, and
   * what it may read back by content hash. Undefined elsewhere: nothing is recorded or resolved.
   */
  references?: { access: RecognitionReferences; caller: string };
  /** Who is asking (authenticated before the operation ran); undefined only where nobody authenticates (unit tests). */
  client?: Client;
  /** What `ktpUsage` reads; undefined where nothing is counted (unit tests). */
  usage?: UsageLedger;
}

export function createGraphQLContext(
  recognizer: Recognizer,
  signal: AbortSignal | undefined,
  references?: GraphQLContext['references'],
  client?: Client,
): GraphQLContext {
  return {
    recognizer,
    now: new Date(),
    ...(references ? { references } : {}),
    ...(client ? { client } : {}),
    recognitions: new DataLoader<Upload, Outcome, string>(
      (uploads) =>
        Promise.all(uploads.map((upload) => recognizer.recognize(upload.bytes, { contentHash: upload.contentHash, signal, ...(client ? { caller: client } : {}) }))),
      { cacheKeyFn: (upload) => upload.contentHash },
    ),
  };
}
