import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOGNIZE_KTP_OPERATION } from '../../src/schema/operations.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { apolloClient, jpegFile } from './support/apollo.ts';
import { readParts, uploadRequest } from './support/incremental.ts';
import { parseArguments } from '../../examples/compose-supergraph.ts';
import { startHiveGateway, startUsersSubgraph, writeSupergraph, type Listening } from './support/supergraph.ts';

/**
 * The README's "Behind a gateway" recipe for Hive Gateway, run for real: our subgraph and a
 * users subgraph on loopback, the supergraph written by `examples/compose-supergraph.ts` (what
 * `npm run supergraph` runs) from what each serves, Hive Gateway in front of that file, Apollo
 * Client with the upload link as a frontend would.
 */
const DOCS = readFileSync(new URL('../../docs/gateways.md', import.meta.url), 'utf8');
/** The `@defer` query docs/gateways.md shows for gateways: the test runs that very text. */
const DOCUMENTED_DEFER_QUERY = /```graphql\n([^`]*@defer[^`]*)```/.exec(DOCS)?.[1];
let scratch: string;
let ktp: GatewayServer;
let users: Listening;
let hive: Listening;
/** Every request that reached our subgraph path, with its body when it was JSON. */
const subgraphRequests: { contentType: string; body: string }[] = [];

beforeAll(async () => {
  ktp = await startGatewayServer();
  ktp.server.on('request', (request) => {
    if (!request.url?.startsWith('/subgraph')) return;
    const seen = { contentType: request.headers['content-type'] ?? '', body: '' };
    subgraphRequests.push(seen);
    if (seen.contentType.startsWith('application/json')) request.on('data', (chunk: Buffer) => (seen.body += chunk.toString()));
  });
  users = await startUsersSubgraph();
  scratch = mkdtempSync(join(tmpdir(), 'ktp-supergraph-'));
  const out = join(scratch, 'supergraph.graphql');
  const { subgraphs } = parseArguments([`ktp=${ktp.origin}/subgraph`, `users=${users.url}`]);
  const written = await writeSupergraph(subgraphs, out);
  expect(readFileSync(out, 'utf8')).toBe(written);
  hive = await startHiveGateway(readFileSync(out, 'utf8'));
});
afterAll(async () => {
  await hive?.close();
  await users?.close();
  await ktp?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('uploads through Hive Gateway', () => {
  it('answers an upload through the gateway with the same fields and contentHash as one sent directly, paid once', async () => {
    const bytes = await testJpeg(10_001);
    const mutation = gql(RECOGNIZE_KTP_OPERATION);
    const direct = await apolloClient(ktp.graphqlUrl).mutate({ mutation, variables: { image: jpegFile(bytes) } });
    const viaHive = await apolloClient(hive.url).mutate({ mutation, variables: { image: jpegFile(bytes) } });
    expect(direct.error).toBeUndefined();
    expect(viaHive.error).toBeUndefined();

    const { cached: directCached, ...directFields } = (direct.data as any).recognizeKtp;
    const { cached: hiveCached, ...hiveFields } = (viaHive.data as any).recognizeKtp;
    expect(directFields).toMatchObject({ __typename: 'KtpIdentity', nik: '3171024302821001', name: 'HELLO NAME', contentHash: sha256(bytes) });
    expect(hiveFields).toEqual(directFields);
    // The second upload of the same bytes, through the gateway, is the cached answer.
    expect([directCached, hiveCached]).toEqual([false, true]);
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(1);
  });

  it('still needs the gateway to have multipart on, and the subgraph still refuses a multipart request without a CSRF header', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }', variables: { image: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.image'] }));
    form.set('0', jpegFile(await testJpeg(10_002)));
    const response = await fetch(`${ktp.origin}/subgraph`, { method: 'POST', body: form });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ errors: [{ message: 'Required CSRF header(s) not present' }] });
  });

  it('refuses a client without a CSRF header at the gateway: 403, and nothing reaches the subgraph', async () => {
    const bytes = await testJpeg(10_003);
    const before = subgraphRequests.length;
    const statuses: number[] = [];
    const client = apolloClient(hive.url, { headers: {}, onFetch: ({ status }) => statuses.push(status) });
    await expect(client.mutate({ mutation: gql(RECOGNIZE_KTP_OPERATION), variables: { image: jpegFile(bytes) } })).rejects.toThrow(/CSRF/);
    expect(statuses).toEqual([403]);
    expect(subgraphRequests.length).toBe(before);
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(0);
  });

  it('delivers deferred nikCheck and confidence incrementally, fetched back from the subgraph by contentHash', async () => {
    const bytes = await testJpeg(10_004);
    const before = subgraphRequests.length;
    expect(DOCUMENTED_DEFER_QUERY).toContain('contentHash');
    const response = await uploadRequest(
      hive.url,
      DOCUMENTED_DEFER_QUERY!,
      bytes,
    );
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await readParts(response)).toEqual([
      {
        data: { recognizeKtp: { __typename: 'KtpIdentity', nik: '3171024302821001', name: 'HELLO NAME', contentHash: sha256(bytes) } },
        hasNext: true,
      },
      {
        incremental: [
          {
            data: { nikCheck: { valid: true, provinceName: 'DKI JAKARTA', birthDate: '1982-02-03', gender: 'FEMALE' }, confidence: [] },
            path: ['recognizeKtp'],
          },
        ],
        hasNext: false,
      },
    ]);
    // One multipart upload, then the deferred fragment through _entities with the key.
    const seen = subgraphRequests.slice(before);
    expect(seen.map((r) => r.contentType.split(';')[0])).toEqual(['multipart/form-data', 'application/json']);
    expect(seen[1]!.body).toContain('_entities');
    expect(seen[1]!.body).toContain(sha256(bytes));
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(1);
  });

  it('refuses a malformed subgraph argument and a URL that serves no subgraph SDL, by name', async () => {
    expect(() => parseArguments(['ktp'])).toThrow('not a subgraph: "ktp" (expected name=http://host:port/path)');
    expect(() => parseArguments(['--out=x.graphql'])).toThrow(/no subgraphs given/);
    // `/graphql` never serves federation's `_service`: composing from it is a clear error, no file.
    const out = join(scratch, 'from-graphql.graphql');
    await expect(writeSupergraph([{ name: 'ktp', url: ktp.graphqlUrl }], out)).rejects.toThrow(
      `no subgraph SDL from ${ktp.graphqlUrl} (HTTP 200): Cannot query field "_service" on type "Query".`,
    );
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('answers queries that span both subgraphs', async () => {
    const response = await fetch(hive.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ user(id: "7") { name gender } ktpRecognizerStatus { provider ready } }' }),
    });
    expect(await response.json()).toEqual({
      data: { user: { name: 'User 7', gender: 'UNDISCLOSED' }, ktpRecognizerStatus: { provider: 'ekycpro', ready: true } },
    });
  });
});
