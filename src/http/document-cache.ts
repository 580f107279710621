import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

export interface DocumentCacheOptions {
  /** Documents kept. Default 1000, as Yoga's own. */
  max?: number;
  /**
   * Longer documents are never cached. Default 4096 characters: real operations are a few hundred
   * (ours, with every field, about 1,300).
   */
  maxChars?: number;
}

interface Cache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/**
 * Yoga's parse cache, keyed by the document's text, but not for long texts. V8 hashes a string
 * of more than 16,383 characters by its length alone, so distinct long documents of one length
 * (a query padded with a comment, varied by a character) all collide in the cache's map, and each
 * lookup compares the new text with every kept one: a few requests of 60 KB made every request
 * slower than parsing it would have been. A long document is parsed afresh instead, which the
 * token limit keeps cheap.
 */
export function createDocumentCache<T = DocumentNode>({ max = 1000, maxChars = 4096 }: DocumentCacheOptions = {}): Cache<T> {
  const lru = new LRUCache<string, T & object>({ max });
  return {
    get: (key) => (key.length > maxChars ? undefined : lru.get(key)),
    set: (key, value) => {
      if (key.length <= maxChars) lru.set(key, value as T & object);
    },
  };
}
