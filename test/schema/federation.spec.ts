import { composeServices as composeWithApollo } from '@apollo/composition';
import { composeServices as composeWithTheGuild } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';

let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(() => gw.close());

/** Where a federation gateway is pointed (SUBGRAPH_PATH's default outside production). */
const subgraphUrl = () => `${gw.origin}/subgraph`;

async function servedSdl(url = subgraphUrl()) {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  return { status: response.status, errors: response.json?.errors, sdl: response.json?.data?._service?.sdl as string | undefined };
}

async function ourSdl(): Promise<string> {
  const { status, errors, sdl } = await servedSdl();
  expect(status).toBe(200);
  expect(errors).toBeUndefined();
  return sdl!;
}

/** A second, unrelated subgraph, as another team would own it. */
const ACCOUNTS = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Account @key(fields: "id") {
    id: ID!
    nik: String
  }

  type Query {
    me: Account
  }
`;

/** A typical users subgraph: its own Gender, with a value ours does not have. */
const USERS = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  enum Gender { MALE FEMALE UNDISCLOSED }
  enum MaritalStatus { SINGLE MARRIED }

  type User @key(fields: "id") {
    id: ID!
    gender: Gender
    maritalStatus: MaritalStatus
    religion: String
  }

  type Query {
    user(id: ID!): User
  }
`;

const composers = [
  ['@apollo/composition', composeWithApollo],
  ['@theguild/federation-composition', composeWithTheGuild],
] as const;

describe('Apollo Federation', () => {
  it('serves _service { sdl } as a Federation v2 subgraph on the subgraph path', async () => {
    const sdl = await ourSdl();
    expect(sdl).toMatch(/@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(sdl).toContain('ktpRecognizerStatus');
  });

  it('keeps _service and _entities off /graphql, where clients, stitching and codegen look', async () => {
    const onGraphql = await servedSdl(gw.graphqlUrl);
    expect(onGraphql.errors?.[0]?.message).toBe('Cannot query field "_service" on type "Query".');
    const entities = await request(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _entities(representations: []) { __typename } }' }),
    });
    expect(entities.json?.errors?.[0]?.message).toMatch(/Cannot query field "_entities"/);
  });

  it('makes KtpIdentity an entity keyed by its content hash, so a gateway can fetch deferred fields', async () => {
    const sdl = await ourSdl();
    expect(sdl).toMatch(/type KtpIdentity\s+@key\(fields: "contentHash"\)/);
  });

  it.each(composers)('composes with a second subgraph into a supergraph without errors (%s)', async (_name, compose) => {
    const result = compose([
      { name: 'ktp', url: subgraphUrl(), typeDefs: parse(await ourSdl()) },
      { name: 'accounts', url: 'http://accounts.test/graphql', typeDefs: parse(ACCOUNTS) },
    ]);
    expect(result.errors ?? []).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    expect(supergraph).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(supergraph).toMatch(/me: Account/);
    expect(supergraph).toMatch(/@join__graph\(name: "ktp"/);
    expect(supergraph).toMatch(/@join__graph\(name: "accounts"/);
  });

  it.each(composers)('composes beside a users subgraph with its own Gender and MaritalStatus enums (%s)', async (_name, compose) => {
    const result = compose([
      { name: 'ktp', url: subgraphUrl(), typeDefs: parse(await ourSdl()) },
      { name: 'users', url: 'http://users.test/graphql', typeDefs: parse(USERS) },
    ]);
    expect(result.errors ?? []).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    expect(supergraph).toMatch(/enum Gender[^{]*\{[^}]*UNDISCLOSED/);
    expect(supergraph).toMatch(/enum KtpGender[^{]*\{/);
    expect(supergraph).toMatch(/enum KtpMaritalStatus[^{]*\{/);
  });
});
