import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloClient, recognizeWithApollo } from '../../examples/apollo-client.ts';
import { describeAnswer } from '../../examples/card-answer.ts';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { checkedFetch, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { jpegFile } from '../ecosystem/support/apollo.ts';
import { firstSampleAnswer } from './expected-answer.ts';

/** The README's Apollo Client recipe, `examples/apollo-client.ts` as it is, against a real server. */
let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(() => gw.close());

// checkedFetch: the recipe's own link, with every answer also checked for leaked secrets.
const client = () => createApolloClient(gw.graphqlUrl, { fetch: checkedFetch });

describe('examples/apollo-client.ts (Apollo Client 4 + apollo-upload-client) against the real server', () => {
  it('uploads a File variable with the multipart spec and gets a KtpIdentity, charged once', async () => {
    const bytes = await testJpeg(7001);
    const answer = await recognizeWithApollo(client(), jpegFile(bytes));
    expect(answer).toEqual(firstSampleAnswer(bytes));
    expect(describeAnswer(answer)).toBe(`HELLO NAME, NIK ${SAMPLE_IDENTITY.id}, born 1982-02-03 [charged now]`);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('gets an OcrError as data for a FAIL, and the cached FAIL for a second client at no charge', async () => {
    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    try {
      const bytes = await testJpeg(7002);
      const first = await recognizeWithApollo(client(), jpegFile(bytes));
      expect(first).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: true, cached: false });
      const second = await recognizeWithApollo(client(), jpegFile(bytes));
      expect(describeAnswer(second)).toBe('FAIL: check input image and retry [no charge now]');
      expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
    } finally {
      gw.fake.behaviour = () => ({ kind: 'ok' });
    }
  });

  it('sends extra headers beside the CSRF header, never instead of it', async () => {
    const sent: Headers[] = [];
    const watching: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers));
      return checkedFetch(input, init);
    };
    const bytes = await testJpeg(7004);
    const apollo = createApolloClient(gw.graphqlUrl, { fetch: watching, headers: { 'x-request-id': 'r1', 'Apollo-Require-Preflight': 'false' } });
    expect(await recognizeWithApollo(apollo, jpegFile(bytes))).toMatchObject({ __typename: 'KtpIdentity' });
    expect(sent.map((h) => [h.get('x-request-id'), h.get('apollo-require-preflight')])).toEqual([['r1', 'true']]);
  });

  // What the recipe's header is for: the same link without it is refused before any work.
  it('is refused with 403 without a CSRF header, nothing charged', async () => {
    const bytes = await testJpeg(7003);
    const statuses: number[] = [];
    const bare = new ApolloClient({
      link: new UploadHttpLink({
        uri: gw.graphqlUrl,
        fetch: async (input, init) => {
          const response = await checkedFetch(input, init);
          statuses.push(response.status);
          return response;
        },
      }),
      cache: new InMemoryCache(),
    });
    const mutation = gql`mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }`;
    await expect(bare.mutate({ mutation, variables: { image: jpegFile(bytes) } })).rejects.toThrow(/CSRF/);
    expect(statuses).toEqual([403]);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(0);
  });
});
