import { createHash, timingSafeEqual } from 'node:crypto';
import { JWT_CLIENT_PREFIX, type Client } from './client.ts';

/**
 * The clients' API keys, as `API_KEYS_FILE` holds them: a JSON array of
 * `{ "id", "key": "sha256:<hex>" | "<plain>", "paidCallsPerDay"?, "requestsPerMinute"?, "admin"? }`.
 * Only SHA-256 digests are kept in memory; a plain key is hashed as it is read.
 */
export interface ApiKeyEntry {
  client: Client;
  digest: Buffer;
}

export class ApiKeysError extends Error {
  override name = 'ApiKeysError';
}

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const HASHED = /^sha256:([0-9a-f]{64})$/i;

/** Parses the file's text; throws `ApiKeysError` naming the entry and the problem, never a key. */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiKeysError('is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new ApiKeysError('must hold a JSON array of { "id", "key" } objects');
  const ids = new Set<string>();
  return parsed.map((raw: unknown, index) => {
    const where = `entry ${index}`;
    if (typeof raw !== 'object' || raw === null) throw new ApiKeysError(`${where} is not an object`);
    const entry = raw as Record<string, unknown>;
    // Ids become metric labels and log fields: short, plain, and one per client.
    if (typeof entry.id !== 'string' || !ID.test(entry.id)) throw new ApiKeysError(`${where}: "id" must be 1-64 characters of A-Z a-z 0-9 . _ : -`);
    // JWT clients are named `jwt:<claim>`; a key with such an id would share their usage and budgets.
    if (entry.id.startsWith(JWT_CLIENT_PREFIX)) throw new ApiKeysError(`${where}: id "${entry.id}" starts with "${JWT_CLIENT_PREFIX}", which names JWT clients`);
    if (ids.has(entry.id)) throw new ApiKeysError(`${where}: id "${entry.id}" appears twice`);
    ids.add(entry.id);
    if (typeof entry.key !== 'string' || entry.key.length === 0) throw new ApiKeysError(`${where} (${entry.id}): "key" must be a non-empty string`);
    const client: Client = { id: entry.id, admin: optionalFlag(entry.admin, `${where} (${entry.id}): "admin"`) };
    const perMinute = optionalCount(entry.requestsPerMinute, `${where} (${entry.id}): "requestsPerMinute"`);
    const perDay = optionalCount(entry.paidCallsPerDay, `${where} (${entry.id}): "paidCallsPerDay"`);
    if (perMinute !== undefined) client.requestsPerMinute = perMinute;
    if (perDay !== undefined) client.paidCallsPerDay = perDay;
    return { client, digest: keyDigest(entry.key) };
  });
}

/** The stored form of a key: `sha256:<hex>` as written, or the digest of a plain key. */
export function keyDigest(key: string): Buffer {
  const hashed = HASHED.exec(key);
  return hashed ? Buffer.from(hashed[1]!, 'hex') : sha256(key);
}

/**
 * The client a presented key belongs to. The presented key is hashed, and its digest compared in
 * constant time against every entry's, with no early return: neither the key's length, nor how
 * close a guess came, nor which entry matched shows in the timing.
 */
export function findClient(entries: readonly ApiKeyEntry[], presented: string): Client | undefined {
  const candidate = sha256(presented);
  let found: Client | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(entry.digest, candidate)) found = entry.client;
  }
  return found;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function optionalCount(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ApiKeysError(`${what} must be a whole number ≥ 0`);
  return value;
}

function optionalFlag(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ApiKeysError(`${what} must be true or false`);
  return value;
}
