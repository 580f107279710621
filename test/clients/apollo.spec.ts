import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { checkedFetch, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';

const RECOGNIZE = gql`
  mutation Recognize($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity { nik birthDate gender cached raw { nationnality } }
      ... on OcrError { code message charged }
    }
  }
`;

let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(() => gw.close());

/** Apollo Client 4 with apollo-upload-client, sending the header Apollo's upload docs tell users to send. */
function apolloClient(headers: Record<string, string> = { 'Apollo-Require-Preflight': 'true' }) {
  return new ApolloClient({
    link: new UploadHttpLink({ uri: gw.graphqlUrl, fetch: checkedFetch, headers }),
    cache: new InMemoryCache({ possibleTypes: { RecognizeKtpResult: ['KtpIdentity', 'OcrError'] } }),
  });
}

const file = (bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], 'ktp.jpg', { type: 'image/jpeg' });

describe('Apollo Client 4 + apollo-upload-client against the real server', () => {
  it('uploads a File variable with the multipart spec and gets a KtpIdentity', async () => {
    const bytes = await testJpeg(7001);
    const result = await apolloClient().mutate({ mutation: RECOGNIZE, variables: { image: file(bytes) } });
    expect(result.error).toBeUndefined();
    expect(result.data).toMatchObject({
      recognizeKtp: {
        __typename: 'KtpIdentity',
        nik: SAMPLE_IDENTITY.id,
        birthDate: '1982-02-03',
        gender: 'FEMALE',
        cached: false,
        raw: { nationnality: 'WNI' },
      },
    });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('gets an OcrError as data for a FAIL, and the cached FAIL for a second client', async () => {
    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    try {
      const bytes = await testJpeg(7002);
      const first = await apolloClient().mutate({ mutation: RECOGNIZE, variables: { image: file(bytes) } });
      expect(first.data).toMatchObject({ recognizeKtp: { __typename: 'OcrError', code: 'FAIL', charged: true } });
      await apolloClient().mutate({ mutation: RECOGNIZE, variables: { image: file(bytes) } });
      expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
    } finally {
      gw.fake.behaviour = () => ({ kind: 'ok' });
    }
  });

  it('is refused with 403 without a CSRF header', async () => {
    const bytes = await testJpeg(7003);
    const statuses: number[] = [];
    const client = new ApolloClient({
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
    await expect(client.mutate({ mutation: RECOGNIZE, variables: { image: file(bytes) } })).rejects.toThrow(/CSRF/);
    expect(statuses).toEqual([403]);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(0);
  });
});
