import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiKeysError, parseApiKeys } from '../../src/access/api-keys.ts';
import { createKeyStore } from '../../src/access/key-store.ts';
import { hashed, writeKeyFile } from '../support/key-files.ts';

describe('API_KEYS_FILE entries', () => {
  it('finds a client by a hashed key and by a plain one, with its limits and admin flag', () => {
    const store = createKeyStore({
      file: writeKeyFile([
        { id: 'mobile-app', key: hashed('mobile-secret'), paidCallsPerDay: 500, requestsPerMinute: 60 },
        { id: 'back-office', key: 'office-secret', admin: true },
      ]),
    });
    expect(store.find('mobile-secret')).toEqual({ id: 'mobile-app', admin: false, paidCallsPerDay: 500, requestsPerMinute: 60 });
    expect(store.find('office-secret')).toEqual({ id: 'back-office', admin: true });
    // The stored digest is not itself a key.
    expect(store.find(hashed('mobile-secret'))).toBeUndefined();
    expect(store.find('mobile-secre')).toBeUndefined();
    expect(store.find('Mobile-secret')).toBeUndefined();
    expect(store.find('')).toBeUndefined();
  });

  it.each<[string, string]>([
    ['not JSON', '[{"id": "a", "key": '],
    ['not an array', '{"id": "a", "key": "k"}'],
    ['an entry without a key', '[{"id": "a"}]'],
    ['an id with spaces', '[{"id": "my app", "key": "k"}]'],
    ['the same id twice', '[{"id": "a", "key": "k1"}, {"id": "a", "key": "k2"}]'],
    ['a negative budget', '[{"id": "a", "key": "k", "paidCallsPerDay": -1}]'],
    ['admin as a string', '[{"id": "a", "key": "k", "admin": "yes"}]'],
  ])('refuses %s with a message that names no key', (_name, text) => {
    expect(() => parseApiKeys(text)).toThrow(ApiKeysError);
    try {
      parseApiKeys(text);
    } catch (error) {
      expect((error as Error).message).not.toMatch(/"k\d?"/);
    }
  });

  it('an unreadable or invalid file refuses to load, naming the file', () => {
    expect(() => createKeyStore({ file: '/nonexistent/keys.json' })).toThrow(/API_KEYS_FILE \/nonexistent\/keys.json cannot be read \(ENOENT\)/);
    const broken = writeKeyFile('not json at all');
    expect(() => createKeyStore({ file: broken })).toThrow(`API_KEYS_FILE ${broken}: is not valid JSON`);
  });

  it('reload: a good file replaces the keys; a broken or unreadable one keeps the last good keys and says why', () => {
    const file = writeKeyFile([{ id: 'first', key: 'key-one' }]);
    const store = createKeyStore({ file });
    writeFileSync(file, JSON.stringify([{ id: 'second', key: 'key-two' }]));
    expect(store.reload()).toEqual({ ok: true, clients: 1 });
    expect(store.find('key-one')).toBeUndefined();
    expect(store.find('key-two')?.id).toBe('second');

    writeFileSync(file, '[{"id": "third", ');
    expect(store.reload()).toEqual({ ok: false, reason: `API_KEYS_FILE ${file}: is not valid JSON` });
    expect(store.find('key-two')?.id).toBe('second');

    // Unreadable (a directory where the file was: unreadable even to root, unlike a chmod).
    rmSync(file);
    mkdirSync(file);
    expect(store.reload()).toEqual({ ok: false, reason: `API_KEYS_FILE ${file} cannot be read (EISDIR)` });
    expect(store.find('key-two')?.id).toBe('second');
  });

  it('REST_API_KEYS fold in as clients rest-key-1, rest-key-2; the upstream key is never a client key', () => {
    const store = createKeyStore({ restApiKeys: ['alpha', 'upstream'], upstreamApiKey: 'upstream' });
    expect(store.find('alpha')?.id).toBe('rest-key-1');
    expect(store.find('upstream')).toBeUndefined();
    expect(store.configured).toBe(true);
    expect(createKeyStore({}).configured).toBe(false);
  });
});
