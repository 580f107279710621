import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The secrets that keep cached personal data unreadable outside the gateway: values are sealed
 * with AES-256-GCM, and names (cache keys, lease keys, job ids) are HMACs, so that a dump of the
 * shared store neither reveals nor confirms which images were seen.
 *
 * A ring holds one or more 32-byte keys, newest first. The newest seals and names; every key opens
 * and every key's names are looked up, so a key can be rotated without forgetting what the old one
 * sealed (see the README's rotation recipe). From each key two subkeys are derived with HKDF, one
 * per purpose, so that the same bytes never serve as both a cipher key and a MAC key.
 */
export interface KeyRing {
  /** Seals `plain` under the newest key, bound to `context` (the name it is stored under). */
  seal(plain: Uint8Array, context: string): Buffer;
  /** The plaintext, or null when the value was not sealed by a key of this ring, for this context, intact. */
  open(sealed: Uint8Array, context: string): Buffer | null;
  /** `name`'s keyed digest under each key, newest first (hex). */
  names(name: string): string[];
  /** `name`'s keyed digest under the newest key (hex). */
  name(name: string): string;
  readonly size: number;
}

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

const VERSION = 1;
const ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + ID_BYTES + IV_BYTES + TAG_BYTES;

interface RingKey {
  id: Buffer;
  cipherKey: Buffer;
  nameKey: Buffer;
}

/**
 * Parses `CACHE_ENCRYPTION_KEY`: comma-separated keys, newest first, each 32 bytes written as 64 hex
 * characters or in base64 (standard or URL-safe). Errors name the position of a bad key, never its text.
 */
export function parseKeyRing(text: string, variable = 'CACHE_ENCRYPTION_KEY'): KeyRing {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new KeyRingError(`${variable} is empty`);
  const keys = items.map((item, index) => {
    const bytes = decodeKey(item);
    if (bytes === null) {
      throw new KeyRingError(
        `${variable}: key ${index + 1} of ${items.length} is not 32 bytes written as 64 hex characters or in base64 (make one with: openssl rand -hex 32)`,
      );
    }
    return bytes;
  });
  return createKeyRing(keys);
}

export function createKeyRing(secrets: Uint8Array[]): KeyRing {
  if (secrets.length === 0) throw new KeyRingError('a key ring needs at least one key');
  const keys: RingKey[] = secrets.map((secret) => {
    if (secret.byteLength !== 32) throw new KeyRingError('each key must be 32 bytes');
    return {
      id: derive(secret, 'ktp-gateway/key-id/v1', ID_BYTES),
      cipherKey: derive(secret, 'ktp-gateway/seal/v1', 32),
      nameKey: derive(secret, 'ktp-gateway/name/v1', 32),
    };
  });
  const newest = keys[0]!;
  const nameUnder = (key: RingKey, name: string) => createHmac('sha256', key.nameKey).update(name).digest('hex');

  return {
    size: keys.length,
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', newest.cipherKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), newest.id, iv, cipher.getAuthTag(), body]);
    },
    open(sealed, context) {
      if (sealed.byteLength < HEADER_BYTES || sealed[0] !== VERSION) return null;
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      const id = bytes.subarray(1, 1 + ID_BYTES);
      const key = keys.find((candidate) => candidate.id.equals(id));
      if (key === undefined) return null;
      const iv = bytes.subarray(1 + ID_BYTES, 1 + ID_BYTES + IV_BYTES);
      const tag = bytes.subarray(1 + ID_BYTES + IV_BYTES, HEADER_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.cipherKey, iv);
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]);
      } catch {
        // A wrong key, another context or a flipped bit: all mean "not a value we can trust".
        return null;
      }
    },
    names: (name) => keys.map((key) => nameUnder(key, name)),
    name: (name) => nameUnder(newest, name),
  };
}

function derive(secret: Uint8Array, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), info, length));
}

function decodeKey(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.byteLength === 32 ? bytes : null;
}
