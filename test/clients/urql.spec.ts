import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAnswer } from '../../examples/card-answer.ts';
import { createUrqlClient, recognizeWithUrql } from '../../examples/urql.ts';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { checkedFetch, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { jpegFile } from '../ecosystem/support/apollo.ts';
import { firstSampleAnswer } from './expected-answer.ts';

/** The README's urql recipe, `examples/urql.ts` as it is, against a real server. */
let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(() => gw.close());

const client = () => createUrqlClient(gw.graphqlUrl, { fetch: checkedFetch });

describe('examples/urql.ts (@urql/core) against the real server', () => {
  it('uploads a File variable with the multipart spec and gets a KtpIdentity, charged once', async () => {
    const bytes = await testJpeg(6001);
    const answer = await recognizeWithUrql(client(), jpegFile(bytes));
    expect(answer).toEqual(firstSampleAnswer(bytes));
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('gets the same answer from the cache for a second client, with no new call', async () => {
    const bytes = await testJpeg(6002);
    await recognizeWithUrql(client(), jpegFile(bytes));
    const second = await recognizeWithUrql(client(), jpegFile(bytes));
    expect(second).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(describeAnswer(second)).toBe(`HELLO NAME, NIK ${SAMPLE_IDENTITY.id}, born 1982-02-03 [no charge now]`);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('gets an OcrError as data for a FAIL, told it was charged', async () => {
    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    try {
      const answer = await recognizeWithUrql(client(), jpegFile(await testJpeg(6004)));
      expect(describeAnswer(answer)).toBe('FAIL: check input image and retry [charged now]');
    } finally {
      gw.fake.behaviour = () => ({ kind: 'ok' });
    }
  });

  // What the recipe's header is for: the same exchange without it is refused before any work.
  it('is refused with 403 without the CSRF header, nothing charged', async () => {
    const bytes = await testJpeg(6003);
    const bare = new Client({ url: gw.graphqlUrl, exchanges: [fetchExchange], fetch: checkedFetch });
    const result = await bare.mutation(gql`mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }`, { image: jpegFile(bytes) }).toPromise();
    expect(result.error?.response?.status).toBe(403);
    expect(gw.fake.callsFor(contentHash(bytes))).toBe(0);
  });
});
