import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_ROUTE } from '../support/contract.ts';

/** CACHE_SCOPE through real gateways: whether one client's upload answers another's from the cache. */
const ALICE = 'alice-key-31';
const BOB = 'bob-key-47';

let fake: FakeEkycpro;
const servers: Record<'client' | 'shared', GatewayServer> = {} as never;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  const file = writeKeyFile([
    { id: 'alice', key: ALICE },
    { id: 'bob', key: BOB },
  ]);
  servers.client = await startGatewayServer({ fake, env: { API_KEYS_FILE: file } }); // the default
  servers.shared = await startGatewayServer({ fake, env: { API_KEYS_FILE: file, CACHE_SCOPE: 'shared' } });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
  await fake.close();
});

const graphql = async (gw: GatewayServer, key: string, bytes: Uint8Array) =>
  (await request(gw.graphqlUrl, uploadInit({ bytes }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${key}` } }))).json!.data!.recognizeKtp as { cached: boolean };
const rest = async (gw: GatewayServer, key: string, bytes: Uint8Array) =>
  (
    await request(`${gw.origin}${CONTRACT_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': key },
      body: new URLSearchParams({ img: Buffer.from(bytes).toString('base64') }).toString(),
    })
  ).headers.get('x-ktp-cached');

describe('CACHE_SCOPE', () => {
  it('client (default): Bob re-sending Alice\'s exact bytes learns nothing (not cached, by GraphQL or REST) and pays for his own', async () => {
    const bytes = await testJpeg(9801);
    expect((await graphql(servers.client, ALICE, bytes)).cached).toBe(false);
    expect((await graphql(servers.client, BOB, bytes)).cached).toBe(false);
    expect(await rest(servers.client, BOB, bytes)).toBe('true'); // his own, now
    expect(await rest(servers.client, ALICE, bytes)).toBe('true');
    expect(fake.callsFor(contentHash(bytes))).toBe(2);
  });

  it('shared: Bob is answered from Alice\'s upload; one paid call for both', async () => {
    const bytes = await testJpeg(9802);
    expect((await graphql(servers.shared, ALICE, bytes)).cached).toBe(false);
    expect((await graphql(servers.shared, BOB, bytes)).cached).toBe(true);
    expect(await rest(servers.shared, BOB, bytes)).toBe('true');
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });
});
