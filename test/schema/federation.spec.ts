import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';

let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer();
});
afterAll(() => gw.close());

async function servedSdl(): Promise<string> {
  const response = await request(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  expect(response.status).toBe(200);
  expect(response.json?.errors).toBeUndefined();
  return response.json!.data!._service.sdl as string;
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

describe('Apollo Federation', () => {
  it('serves _service { sdl } as a Federation v2 subgraph', async () => {
    const sdl = await servedSdl();
    expect(sdl).toMatch(/@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(sdl).toContain('ktpRecognizerStatus');
  });

  it('composes with a second subgraph into a supergraph without errors', async () => {
    const result = composeServices([
      { name: 'ktp', url: gw.graphqlUrl, typeDefs: parse(await servedSdl()) },
      { name: 'accounts', url: 'http://accounts.test/graphql', typeDefs: parse(ACCOUNTS) },
    ]);
    expect(result.errors ?? []).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    expect(supergraph).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(supergraph).toMatch(/me: Account/);
    expect(supergraph).toMatch(/@join__graph\(name: "ktp"/);
    expect(supergraph).toMatch(/@join__graph\(name: "accounts"/);
  });
});
