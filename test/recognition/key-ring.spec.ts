import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, KeyRingError, parseKeyRing } from '../../src/recognition/key-ring.ts';

const hexKey = () => randomBytes(32).toString('hex');

describe('parseKeyRing', () => {
  it('accepts a key as 64 hex characters, as base64 and as URL-safe base64', () => {
    const bytes = randomBytes(32);
    const plain = Buffer.from('{"kind":"identity"}');
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      const ring = parseKeyRing(text);
      expect(ring.open(ring.seal(plain, 'ctx'), 'ctx')?.toString()).toBe(plain.toString());
    }
  });

  it.each([
    ['too short', randomBytes(16).toString('hex')],
    ['not a key at all', 'correct horse battery staple'],
    ['31 bytes of base64', randomBytes(31).toString('base64')],
  ])('refuses a key that is %s, naming its position and never its text', (_what, bad) => {
    const text = `${hexKey()},${bad}`;
    expect(() => parseKeyRing(text)).toThrow(/key 2 of 2 is not 32 bytes/);
    try {
      parseKeyRing(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it('refuses an empty ring', () => {
    expect(() => parseKeyRing(' , ')).toThrow(/empty/);
  });

  it('names the variable it was given in every refusal, as a KeyRingError', () => {
    expect(() => parseKeyRing('', 'REDIS_KEYS')).toThrow('REDIS_KEYS is empty');
    expect(() => parseKeyRing('nope')).toThrow(/^CACHE_ENCRYPTION_KEY: key 1 of 1 /);
    const refusal = (() => {
      try {
        parseKeyRing('nope');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(KeyRingError);
    expect((refusal as Error).name).toBe('KeyRingError');
  });

  it('reads URL-safe base64 as the same key as standard base64 (- for +, _ for /)', () => {
    // 0xfb bytes are `+/v7` in base64: both substituted characters occur.
    const bytes = Buffer.alloc(32, 0xfb);
    expect(bytes.toString('base64url')).toMatch(/-/);
    expect(bytes.toString('base64url')).toMatch(/_/);
    const sealed = parseKeyRing(bytes.toString('base64url')).seal(Buffer.from('x'), 'ctx');
    expect(parseKeyRing(bytes.toString('base64')).open(sealed, 'ctx')?.toString()).toBe('x');
    expect(parseKeyRing(bytes.toString('hex')).open(sealed, 'ctx')?.toString()).toBe('x');
  });

  it.each([
    ['a character before 64 hex characters', `z${'ab'.repeat(32)}`],
    ['characters after 64 hex characters', `${'ab'.repeat(32)}zz`],
    ['a character outside base64 before a base64 key', `!${randomBytes(32).toString('base64')}`],
    ['a character outside base64 after a base64 key', `${randomBytes(32).toString('base64')}!`],
  ])('refuses %s: a key is the whole item, not a part of it', (_what, text) => {
    expect(() => parseKeyRing(text)).toThrow(/key 1 of 1 is not 32 bytes/);
  });
});

describe('createKeyRing', () => {
  it('refuses no keys, and a key that is not 32 bytes', () => {
    expect(() => createKeyRing([])).toThrow(new KeyRingError('a key ring needs at least one key'));
    expect(() => createKeyRing([randomBytes(32), randomBytes(16)])).toThrow(new KeyRingError('each key must be 32 bytes'));
  });
});

describe('a key ring', () => {
  it('seals so that the bytes do not contain the plaintext, and differently each time', () => {
    const ring = parseKeyRing(hexKey());
    const plain = Buffer.from('NIK 3171024302821001 HELLO NAME');
    const a = ring.seal(plain, 'ctx');
    const b = ring.seal(plain, 'ctx');
    expect(a.includes(plain)).toBe(false);
    expect(a.toString('latin1')).not.toContain('HELLO');
    expect(a.equals(b)).toBe(false);
  });

  it('opens nothing sealed under another key, for another context, or with a flipped bit', () => {
    const ring = parseKeyRing(hexKey());
    const sealed = ring.seal(Buffer.from('secret'), 'ctx');
    expect(parseKeyRing(hexKey()).open(sealed, 'ctx')).toBeNull();
    expect(ring.open(sealed, 'other-ctx')).toBeNull();
    for (const at of [0, 3, 10, 25, sealed.length - 1]) {
      const flipped = Buffer.from(sealed);
      flipped[at]! ^= 0x01;
      expect(ring.open(flipped, 'ctx')).toBeNull();
    }
    expect(ring.open(sealed.subarray(0, 20), 'ctx')).toBeNull();
  });

  it('rotates: the newest key seals, older keys still open, and names are listed newest first', () => {
    const [oldKey, newKey] = [hexKey(), hexKey()];
    const before = parseKeyRing(oldKey);
    const after = parseKeyRing(`${newKey},${oldKey}`);
    const sealedBefore = before.seal(Buffer.from('kept'), 'ctx');
    expect(after.open(sealedBefore, 'ctx')?.toString()).toBe('kept');
    expect(before.open(after.seal(Buffer.from('new'), 'ctx'), 'ctx')).toBeNull();
    expect(after.names('local:abc')).toEqual([parseKeyRing(newKey).name('local:abc'), before.name('local:abc')]);
  });

  it('names are keyed: the same name differs between keys and reveals nothing of the input', () => {
    const hash = 'a'.repeat(64);
    const a = parseKeyRing(hexKey()).name(`ekycpro:${hash}`);
    const b = parseKeyRing(hexKey()).name(`ekycpro:${hash}`);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(hash.slice(0, 8));
  });

  it('opens an empty value, whose sealed form is the header alone', () => {
    const ring = parseKeyRing(hexKey());
    expect(ring.open(ring.seal(Buffer.alloc(0), 'ctx'), 'ctx')?.byteLength).toBe(0);
  });

  it('opens nothing shorter than the header, nor a value of another format version', () => {
    const ring = parseKeyRing(hexKey());
    const sealed = ring.seal(Buffer.from('{"kind":"identity"}'), 'ctx');
    expect(ring.open(sealed.subarray(0, 20), 'ctx')).toBeNull();
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = otherVersion[0]! + 1;
    expect(ring.open(otherVersion, 'ctx')).toBeNull();
  });
});
