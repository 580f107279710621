import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway, type GatewayOptions } from '../../src/gateway.ts';
import { testJpeg } from '../support/images.ts';
import { identity, scriptedProvider } from '../support/scripted-provider.ts';
import { jpegFile } from './support/apollo.ts';

/**
 * `_entities` on the subgraph path is how a federation gateway reads a KtpIdentity back by its
 * content hash. These specs pin who may: only a caller that was itself answered that recognition.
 */
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function gateway(options: Partial<GatewayOptions> = {}) {
  const provider = scriptedProvider('scripted', () => identity());
  const gw = createGateway({ config: loadConfig({}), provider, ...options });
  const fetchOn = (path: string, init: RequestInit) => gw.handler.handle(new Request(`http://ktp.test${path}`, init));

  const upload = async (path: string, bytes: Uint8Array, headers: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }', variables: { image: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.image'] }));
    form.set('0', jpegFile(bytes));
    const response = await fetchOn(path, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1', ...headers } });
    expect(await response.json()).toEqual({ data: { recognizeKtp: { __typename: 'KtpIdentity' } } });
  };

  const entities = async (hashes: unknown[], headers: Record<string, string> = {}) => {
    const response = await fetchOn('/subgraph', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KtpIdentity { nik name contentHash } } }',
        variables: { r: hashes.map((contentHash) => ({ __typename: 'KtpIdentity', contentHash })) },
      }),
    });
    const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data!._entities;
  };
  return { provider, upload, entities };
}

describe('reading a recognition back by content hash (_entities)', () => {
  it('resolves a recognition the subgraph answered to this caller, from the cache, without calling the provider again', async () => {
    const { provider, upload, entities } = gateway();
    const bytes = await testJpeg(10_101);
    await upload('/subgraph', bytes);
    expect(await entities([sha256(bytes)])).toEqual([{ nik: '3171024302821001', name: 'HELLO NAME', contentHash: sha256(bytes) }]);
    expect(provider.calls).toHaveLength(1);
  });

  it('resolves a hash it never answered to null, without calling the provider', async () => {
    const { provider, entities } = gateway();
    const bytes = await testJpeg(10_102);
    expect(await entities([sha256(bytes), 'not-a-hash', 42])).toEqual([null, null, null]);
    expect(provider.calls).toHaveLength(0);
  });

  it('grants nothing for a recognition answered on /graphql: a public client’s card is not readable through the subgraph path', async () => {
    const { provider, upload, entities } = gateway();
    const bytes = await testJpeg(10_103);
    await upload('/graphql', bytes);
    expect(provider.calls).toHaveLength(1);
    expect(await entities([sha256(bytes)])).toEqual([null]);
  });

  it('with client identity plugged into callerOf, one client cannot read another’s card by its hash', async () => {
    const { upload, entities } = gateway({ callerOf: (request) => request.headers.get('x-client') ?? 'anonymous' });
    const bytes = await testJpeg(10_104);
    await upload('/subgraph', bytes, { 'x-client': 'bank-a' });
    expect(await entities([sha256(bytes)], { 'x-client': 'bank-b' })).toEqual([null]);
    expect(await entities([sha256(bytes)])).toEqual([null]);
    expect(await entities([sha256(bytes)], { 'x-client': 'bank-a' })).toEqual([expect.objectContaining({ contentHash: sha256(bytes) })]);
  });

  it('resolves nothing once the recognition has left the cache, even for the caller it was answered to', async () => {
    const { upload, entities } = gateway({ config: loadConfig({ CACHE_MAX_BYTES: '0' }) });
    const bytes = await testJpeg(10_105);
    await upload('/subgraph', bytes);
    expect(await entities([sha256(bytes)])).toEqual([null]);
  });
});
