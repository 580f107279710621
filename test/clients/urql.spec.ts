import { Client, fetchExchange, gql } from '@urql/core';
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

/** urql as its users set it up for Yoga: the fetch exchange (multipart for File variables) and Yoga's CSRF header. */
function urqlClient(headers: Record<string, string> = { 'x-graphql-yoga-csrf': '1' }) {
  return new Client({
    url: gw.graphqlUrl,
    exchanges: [fetchExchange],
    fetch: checkedFetch,
    fetchOptions: { headers },
    requestPolicy: 'network-only',
  });
}

describe('@urql/core against the real server', () => {
  it('uploads a File variable with the multipart spec and gets a KtpIdentity', async () => {
    const bytes = await testJpeg(6001);
    const result = await urqlClient()
      .mutation(RECOGNIZE, { image: new File([bytes as Uint8Array<ArrayBuffer>], 'ktp.jpg', { type: 'image/jpeg' }) })
      .toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.recognizeKtp).toMatchObject({
      __typename: 'KtpIdentity',
      nik: SAMPLE_IDENTITY.id,
      birthDate: '1982-02-03',
      gender: 'FEMALE',
      cached: false,
      raw: { nationnality: 'WNI' },
    });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('gets the same answer from the cache for a second client, with no new call', async () => {
    const bytes = await testJpeg(6002);
    const file = () => new File([bytes as Uint8Array<ArrayBuffer>], 'ktp.jpg', { type: 'image/jpeg' });
    await urqlClient().mutation(RECOGNIZE, { image: file() }).toPromise();
    const second = await urqlClient().mutation(RECOGNIZE, { image: file() }).toPromise();
    expect(second.data?.recognizeKtp).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('is refused with 403 without the CSRF header', async () => {
    const bytes = await testJpeg(6003);
    const result = await urqlClient({})
      .mutation(RECOGNIZE, { image: new File([bytes as Uint8Array<ArrayBuffer>], 'ktp.jpg', { type: 'image/jpeg' }) })
      .toPromise();
    expect(result.error?.response?.status).toBe(403);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(0);
  });
});
