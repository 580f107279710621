import type { KeyValueCache } from '../recognition/key-value-cache.ts';
import { createMemoryCache } from '../recognition/memory-cache.ts';

/**
 * Who may read a recognition by its content hash through federation's `_entities` (what a
 * gateway does to deliver a deferred `KtpIdentity` fragment, or to resolve another subgraph's
 * reference to a recognition). A content hash alone must never be a way to read someone else's
 * card: hashes travel (in answers, in other subgraphs' data), images do not.
 */
export interface RecognitionReferences {
  /** The recognition of `contentHash` was answered to `caller` by this subgraph. */
  answered(caller: string, contentHash: string): Promise<void>;
  /** Whether `caller` may read the recognition of `contentHash`. */
  mayRead(caller: string, contentHash: string): Promise<boolean>;
}

export interface AnsweredReferencesOptions {
  /** Where the record of who was answered what is kept. Default: an in-process LRU of 4 MiB. */
  store?: KeyValueCache<{ at: number }>;
  /** How long a caller may read back what it was answered, in seconds. Default 86400, like the outcome cache. */
  ttlSeconds?: number;
}

/**
 * The default rule: a caller may read back only what it was itself answered, for as long as the
 * answer is kept. A reference never starts a recognition (there is no image), never costs, and an
 * unknown or forbidden hash resolves to null alike, so the answer is no oracle.
 */
export function createAnsweredReferences({ store, ttlSeconds = 86_400 }: AnsweredReferencesOptions = {}): RecognitionReferences {
  const kept = store ?? createMemoryCache<{ at: number }>({ maxBytes: 4 * 1024 * 1024, ttlSeconds });
  // JSON-encoded so that no caller name can forge another caller's key.
  const keyOf = (caller: string, contentHash: string) => `ref:${JSON.stringify([caller, contentHash])}`;
  return {
    answered: (caller, contentHash) => kept.set(keyOf(caller, contentHash), { at: Date.now() }, { ttl: ttlSeconds }),
    mayRead: async (caller, contentHash) => (await kept.get(keyOf(caller, contentHash))) !== undefined,
  };
}
