import { createHash, randomBytes } from 'node:crypto';
import { gql } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';
import { parseKeyRing } from '../../src/recognition/key-ring.ts';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import { startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { cleanup, describeRedis, rawClient, REDIS_TEST_URL, startOwnRedis, uniquePrefix, waitForLink } from '../support/redis.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';
import { startReplica, type Replica } from '../support/shared-gateway.ts';
import { apolloClient, jpegFile } from './support/apollo.ts';

const RECOGNIZE = gql`
  mutation RecognizeWithApq($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity { nik cached contentHash }
      ... on OcrError { code }
    }
  }
`;
const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** What one multipart request carried in its `operations` field. */
interface Sent {
  status: number;
  hasQuery: boolean;
  hash: string | undefined;
  query: string | undefined;
}

function watch(sent: Sent[]) {
  return ({ body, status }: { body: BodyInit | null | undefined; status: number }) => {
    const operations = JSON.parse(String((body as FormData).get('operations'))) as { query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } };
    sent.push({ status, hasQuery: typeof operations.query === 'string', hash: operations.extensions?.persistedQuery?.sha256Hash, query: operations.query });
  };
}

describe("automatic persisted queries with Apollo Client's PersistedQueryLink and the upload link", () => {
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGatewayServer();
  });
  afterAll(() => gw.close());

  it('goes through the not-found round trip once, then sends only the hash', async () => {
    const first: Sent[] = [];
    const bytes = await testJpeg(10_301);
    const answer = await apolloClient(gw.graphqlUrl, { persistedQueries: true, onFetch: watch(first) }).mutate({
      mutation: RECOGNIZE,
      variables: { image: jpegFile(bytes) },
    });
    expect(answer.data).toEqual({ recognizeKtp: { __typename: 'KtpIdentity', nik: '3171024302821001', cached: false, contentHash: sha256(bytes) } });
    // The hash is the SHA-256 of the query text the link sends (Apollo adds __typename fields first).
    const hash = sha256(first[1]!.query!);
    expect(first.map(({ query, ...rest }) => rest)).toEqual([
      { status: 404, hasQuery: false, hash },
      { status: 200, hasQuery: true, hash },
    ]);

    // Another client (another browser): the query is known, one request carries only the hash.
    const second: Sent[] = [];
    const again = await apolloClient(gw.graphqlUrl, { persistedQueries: true, onFetch: watch(second) }).mutate({
      mutation: RECOGNIZE,
      variables: { image: jpegFile(bytes) },
    });
    expect(second.map(({ query, ...rest }) => rest)).toEqual([{ status: 200, hasQuery: false, hash }]);
    expect(again.data).toMatchObject({ recognizeKtp: { cached: true } });
    // The not-found round trip sent the file twice; only one reached the paid API.
    expect(gw.fake.callsFor(sha256(bytes))).toBe(1);
  });

  it('refuses a query whose hash does not match, and does not keep it', async () => {
    const query = '{ ktpRecognizerStatus { provider } }';
    const post = (body: object) =>
      fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrongHash = sha256('something else');
    const mismatch = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } } });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ errors: [{ message: 'PersistedQueryMismatch', extensions: { code: 'PERSISTED_QUERY_MISMATCH' } }] });
    const lookup = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } } });
    expect(lookup.status).toBe(404);
    expect(await lookup.json()).toMatchObject({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
  });
});

describe('the persisted-query store', () => {
  const config = loadConfig({});
  const register = (handle: (request: Request) => Promise<Response>, query: string, withQuery: boolean) =>
    handle(
      new Request('http://ktp.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(withQuery ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
      }),
    );

  it('is injectable: a query registered on one gateway is found by another sharing the store', async () => {
    const store = createMemoryCache<string>();
    const a = createGateway({ config, provider: scriptedProvider(), persistedQueries: store });
    const b = createGateway({ config, provider: scriptedProvider(), persistedQueries: store });
    const query = '{ ktpRecognizerStatus { ready } }';
    expect((await register(a.handler.handle, query, true)).status).toBe(200);
    const found = await register(b.handler.handle, query, false);
    expect(await found.json()).toEqual({ data: { ktpRecognizerStatus: { ready: true } } });
    expect(await store.get(`apq:${sha256(query)}`)).toBe(query);
  });

  it('switched off (PERSISTED_QUERIES=false), answers PersistedQueryNotSupported so that Apollo Client falls back to full queries', async () => {
    const gw = await startGatewayServer({ env: { PERSISTED_QUERIES: 'false' } });
    try {
      const sent: Sent[] = [];
      const client = apolloClient(gw.graphqlUrl, { persistedQueries: true, onFetch: watch(sent) });
      const bytes = await testJpeg(10_302);
      const answer = await client.mutate({ mutation: RECOGNIZE, variables: { image: jpegFile(bytes) } });
      expect(answer.data).toMatchObject({ recognizeKtp: { __typename: 'KtpIdentity' } });
      await client.mutate({ mutation: RECOGNIZE, variables: { image: jpegFile(bytes) } });
      // Told once, the link stops hashing for good.
      expect(sent.map(({ status, hasQuery }) => [status, hasQuery])).toEqual([
        [400, false],
        [200, true],
        [200, true],
      ]);
    } finally {
      await gw.close();
    }
  });
});

/** Two replicas as `server.ts` builds them with REDIS_URL, on loopback, one Redis behind them. */
describeRedis('the persisted-query store with REDIS_URL', () => {
  const prefix = uniquePrefix('apq');
  const keys = parseKeyRing(randomBytes(32).toString('hex'));
  let fake: FakeEkycpro;
  let replicas: Replica[] = [];
  const start = async (url = REDIS_TEST_URL) => {
    const replica = await startReplica({ url, prefix, keys, fake });
    await waitForLink(replica.shared.link);
    replicas.push(replica);
    return replica;
  };

  beforeAll(async () => {
    fake = await startFakeEkycpro();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await fake.close();
    await cleanup(prefix);
  });

  it('finds through replica B a query that Apollo Client registered through replica A', async () => {
    const [a, b] = [await start(), await start()];
    const bytes = await testJpeg(10_303);
    const throughA: Sent[] = [];
    await apolloClient(a.graphqlUrl, { persistedQueries: true, onFetch: watch(throughA) }).mutate({ mutation: RECOGNIZE, variables: { image: jpegFile(bytes) } });
    expect(throughA.map(({ status, hasQuery }) => [status, hasQuery])).toEqual([
      [404, false],
      [200, true],
    ]);
    const hash = throughA[0]!.hash!;

    const throughB: Sent[] = [];
    const answer = await apolloClient(b.graphqlUrl, { persistedQueries: true, onFetch: watch(throughB) }).mutate({
      mutation: RECOGNIZE,
      variables: { image: jpegFile(bytes) },
    });
    // B never saw the query text: one request, the hash only, answered.
    expect(throughB).toEqual([{ status: 200, hasQuery: false, hash, query: undefined }]);
    expect(answer.data).toMatchObject({ recognizeKtp: { __typename: 'KtpIdentity', cached: true, contentHash: sha256(bytes) } });

    // Stored under the gateway's prefix, in the clear (a query is not personal data), with a TTL.
    const redis = rawClient();
    try {
      const name = `${prefix}:apq:${hash}`;
      expect(sha256((await redis.get(name))!)).toBe(hash);
      expect(await redis.pttl(name)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('with Redis gone, still answers: the client goes through the round trip again', async () => {
    const own = await startOwnRedis();
    try {
      const replica = await start(own.url);
      await own.stop();
      await waitForLink(replica.shared.link, false);
      const sent: Sent[] = [];
      const answer = await apolloClient(replica.graphqlUrl, { persistedQueries: true, onFetch: watch(sent) }).mutate({
        mutation: RECOGNIZE,
        variables: { image: jpegFile(await testJpeg(10_304)) },
      });
      expect(answer.data).toMatchObject({ recognizeKtp: { __typename: 'KtpIdentity' } });
      expect(sent.map(({ status, hasQuery }) => [status, hasQuery])).toEqual([
        [404, false],
        [200, true],
      ]);
      expect(replica.events).toContainEqual({ type: 'persisted-query-store-error', operation: 'get' });
    } finally {
      await own.stop();
    }
  });
});
