import { readFileSync } from 'node:fs';
import { ApiKeysError, findClient, keyDigest, parseApiKeys, type ApiKeyEntry } from './api-keys.ts';
import type { Client } from './client.ts';

/** The API keys the gateway accepts right now; reloadable (SIGHUP) without a restart. */
export interface KeyStore {
  /** The client a presented key belongs to, or undefined. Constant time over every key. */
  find(presented: string): Client | undefined;
  /** Reads the file again. On failure the last good keys stay in force and the reason is returned. */
  reload(): { ok: true; clients: number } | { ok: false; reason: string };
  /** True when any key was configured (even one that is refused, such as the upstream key): the server is not open. */
  readonly configured: boolean;
}

export interface KeyStoreOptions {
  /** `API_KEYS_FILE`; undefined: only `restApiKeys`. */
  file?: string | undefined;
  /** `REST_API_KEYS`, folded in: each becomes a client named `rest-key-<n>`. */
  restApiKeys?: readonly string[];
  /** The key the gateway itself sends upstream: never accepted from a client, even when listed. */
  upstreamApiKey?: string | undefined;
}

/**
 * Loads the keys once; throws `ApiKeysError` (naming the file, never a key) when the file cannot
 * be read or parsed, so the server refuses to start rather than start with no keys.
 */
export function createKeyStore({ file, restApiKeys = [], upstreamApiKey }: KeyStoreOptions): KeyStore {
  const upstream = upstreamApiKey ? keyDigest(upstreamApiKey) : undefined;
  const folded: ApiKeyEntry[] = restApiKeys.map((key, index) => ({ client: { id: `rest-key-${index + 1}`, admin: false }, digest: keyDigest(key) }));
  const read = (): ApiKeyEntry[] => {
    if (!file) return [];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ApiKeysError(`API_KEYS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      return parseApiKeys(text);
    } catch (error) {
      throw new ApiKeysError(`API_KEYS_FILE ${file}: ${(error as Error).message}`);
    }
  };
  const usable = (entries: ApiKeyEntry[]) => entries.filter((entry) => !upstream || !entry.digest.equals(upstream));
  let entries = usable([...read(), ...folded]);

  return {
    find: (presented) => findClient(entries, presented),
    reload() {
      try {
        entries = usable([...read(), ...folded]);
        return { ok: true, clients: entries.length };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    },
    configured: Boolean(file) || restApiKeys.length > 0,
  };
}
