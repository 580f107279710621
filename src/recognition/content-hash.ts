import { createHash } from 'node:crypto';

/** SHA-256 hex of the image bytes: the identity of an upload for caching and coalescing. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
