import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gql } from '@apollo/client';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { stitchSchemas } from '@graphql-tools/stitch';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { printSchema, type GraphQLSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOGNIZE_KTP_OPERATION } from '../../src/schema/operations.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { apolloClient, jpegFile } from './support/apollo.ts';

/**
 * The README's "Behind a gateway" recipe for schema stitching: a Yoga server stitching our
 * `/graphql` (through executor-http, with the one static header) with a local users schema that
 * has its own `Gender`, and CSRF prevention of its own for the browsers that talk to it.
 */
let ktp: GatewayServer;
let stitched: GraphQLSchema;
let gatewayUrl: string;
let closeGateway: () => Promise<void>;

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
  const executor = buildHTTPExecutor({ endpoint: ktp.graphqlUrl, headers: { 'x-graphql-yoga-csrf': 'stitching-gateway' } });
  stitched = stitchSchemas({ subschemas: [{ schema: await schemaFromExecutor(executor), executor }, { schema: USERS }] });
  const yoga = createYoga({
    schema: stitched,
    plugins: [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] })],
    logging: false,
    landingPage: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  closeGateway = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
});
afterAll(async () => {
  await closeGateway?.();
  await ktp?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('uploads through schema stitching (@graphql-tools/stitch + executor-http)', () => {
  it('stitches a schema without federation plumbing, beside another Gender', () => {
    const sdl = printSchema(stitched);
    expect(sdl).not.toMatch(/_service|_Service|_entities|_Any/);
    expect(sdl).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(sdl).toMatch(/enum Gender \{\s+MALE\s+FEMALE\s+UNDISCLOSED\s+\}/);
    expect(sdl).toMatch(/enum KtpGender \{/);
  });

  it('answers an upload through the stitching gateway with the same fields and contentHash as one sent directly', async () => {
    const bytes = await testJpeg(10_201);
    const mutation = gql(RECOGNIZE_KTP_OPERATION);
    const direct = await apolloClient(ktp.graphqlUrl).mutate({ mutation, variables: { image: jpegFile(bytes) } });
    const stitchedAnswer = await apolloClient(gatewayUrl).mutate({ mutation, variables: { image: jpegFile(bytes) } });
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
    const client = apolloClient(gatewayUrl, { headers: {}, onFetch: ({ status }) => statuses.push(status) });
    await expect(client.mutate({ mutation: gql(RECOGNIZE_KTP_OPERATION), variables: { image: jpegFile(bytes) } })).rejects.toThrow(/CSRF/);
    expect(statuses).toEqual([403]);
    expect(ktp.fake.callsFor(sha256(bytes))).toBe(0);
  });
});
