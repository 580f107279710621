import DataLoader from 'dataloader';
import type { Outcome } from '../outcome.ts';
import type { Recognizer } from '../recognition/recognizer.ts';

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
}

export function createGraphQLContext(recognizer: Recognizer, signal: AbortSignal | undefined): GraphQLContext {
  return {
    recognizer,
    now: new Date(),
    recognitions: new DataLoader<Upload, Outcome, string>(
      (uploads) =>
        Promise.all(uploads.map((upload) => recognizer.recognize(upload.bytes, { contentHash: upload.contentHash, signal }))),
      { cacheKeyFn: (upload) => upload.contentHash },
    ),
  };
}
