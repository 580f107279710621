import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/** A small second subgraph, as another team would own it: users with their own `Gender` enum. */
export const USERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  enum Gender { MALE FEMALE UNDISCLOSED }

  type User @key(fields: "id") {
    id: ID!
    name: String!
    gender: Gender
  }

  type Query {
    user(id: ID!): User
  }
`;

export interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server, path: string): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The users subgraph on a loopback port. */
export async function startUsersSubgraph(): Promise<Listening> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(USERS_SDL),
    resolvers: {
      Query: { user: (_: unknown, { id }: { id: string }) => ({ id, name: `User ${id}`, gender: 'UNDISCLOSED' }) },
    },
  });
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, landingPage: false });
  return listen(createServer(yoga), '/graphql');
}

// Fetching and composing are the README recipe itself: the tests run what users run.
export { composeSupergraph, fetchSubgraphSdl, writeSupergraph } from '../../../examples/compose-supergraph.ts';

/**
 * Hive Gateway configured as the README's "Behind a gateway" recipe says, in-process on a
 * loopback port:
 * - `multipart: true` (off by default: uploads would be refused with 415);
 * - CSRF prevention at the gateway, for the browsers that talk to it;
 * - one static header on the transport to the ktp subgraph, which this subgraph takes as proof
 *   that the request was not forged by a browser (the gateway has checked that already).
 */
export async function startHiveGateway(supergraph: string, options: { ktpSubgraphName?: string } = {}): Promise<Listening & { runtime: GatewayRuntime }> {
  const runtime = createGatewayRuntime({
    supergraph,
    multipart: true,
    deferStream: true,
    csrfPrevention: { requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] },
    transportEntries: {
      [options.ktpSubgraphName ?? 'ktp']: { headers: [['x-graphql-yoga-csrf', 'hive-gateway']] },
    },
    logging: false,
    landingPage: false,
    graphiql: false,
  });
  const listening = await listen(createServer(runtime), '/graphql');
  return {
    ...listening,
    runtime,
    close: async () => {
      await listening.close();
      await runtime[Symbol.asyncDispose]();
    },
  };
}
