import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The form the README recommends for a key in `API_KEYS_FILE`. */
export const hashed = (key: string) => `sha256:${createHash('sha256').update(key).digest('hex')}`;

/** Writes an `API_KEYS_FILE` (JSON entries, or raw text for a broken one) in a fresh temp directory; returns its path. */
export function writeKeyFile(content: unknown[] | string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ktp-keys-')), 'keys.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
