import { createHash } from 'node:crypto';
import { gql } from '@apollo/client';
import { printSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStitchingGateway, type StitchingGateway } from '../../examples/stitching.ts';
import { RECOGNIZE_KTP_OPERATION } from '../../src/schema/operations.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { apolloClient, jpegFile } from './support/apollo.ts';

/**
 * The README's "Behind a gateway" recipe for schema stitching, `examples/stitching.ts` as it is:
 * a Yoga server stitching our `/graphql` (through executor-http, with the one static header) with
 * a local users schema that has its own `Gender`, and CSRF prevention of its own for browsers.
 */
let ktp: GatewayServer;
let gateway: StitchingGateway;

const USERS = createSchema({
  typeDefs: /* GraphQL */ `
    enum Gender { MALE FEMALE UNDISCLOSED }
    type User { id: ID! gender: Gender }
    type Query { user(id: ID!): User }
  `,
  resolvers: { Query: { user: (_: unknown, { id }: { id: string }) => ({ id, gender: 'UNDISCLOSED' }) } },
});

beforeAll(async () => {
  ktp = await startGatewayServer();
  gateway = await startStitchingGateway(ktp.graphqlUrl, { subschemas: [USERS] });
});
afterAll(async () => {
  await gateway?.close();
  await ktp?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('uploads through schema stitching (@graphql-tools/stitch + executor-http)', () => {
  it('stitches a schema without federation plumbing, beside another Gender', () => {
    const sdl = printSchema(gateway.schema);
    expect(sdl).not.toMatch(/_service|_Service|_entities|_Any/);
    expect(sdl).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(sdl).toMatch(/enum Gender \{\s+MALE\s+FEMALE\s+UNDISCLOSED\s+\}/);
    expect(sdl).toMatch(/enum KtpGender \{/);
  });

  it('answers an upload through the stitching gateway with the same fields and contentHash as one sent directly', async () => {
    const bytes = await testJpeg(10_201);
    const mutation = gql(RECOGNIZE_KTP_OPERATION);
    const direct = await apolloClient(ktp.graphqlUrl).mutate({ mutation, variables: { image: jpegFile(bytes) } });
    const stitchedAnswer = await apolloClient(gateway.url).mutate({ mutation, variables: { image: jpegFile(bytes) } });
    expect(stitchedAnswer.error).toBeUndefined();
    const { cached: directCached, ...directFields } = (direct.data as any).recognizeKtp;
    const { cached: stitchedCached, ...stitchedFields } = (stitchedAnswer.data as any).recognizeKtp;
    expect(directFields).toMatchObject({ __typename: 'KtpIdentity', nik: '3171024302821001', contentHash: sha256(bytes) });
    expect(stitchedFields).toEqual(directFields);
    expect([directCached, stitchedCached]).toEqual([false, true]);
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(1);
  });

  it('refuses a client without a CSRF header at the stitching gateway, before the subgraph', async () => {
    const bytes = await testJpeg(10_202);
    const statuses: number[] = [];
    const client = apolloClient(gateway.url, { headers: {}, onFetch: ({ status }) => statuses.push(status) });
    await expect(client.mutate({ mutation: gql(RECOGNIZE_KTP_OPERATION), variables: { image: jpegFile(bytes) } })).rejects.toThrow(/CSRF/);
    expect(statuses).toEqual([403]);
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(0);
  });
});
