/**
 * A schema-stitching gateway in front of ktp-gateway, complete:
 *
 *   KTP_GRAPHQL_URL=http://ktp-gateway:4000/graphql npx tsx examples/stitching.ts
 *
 * The executor points at `/graphql` (never `/subgraph`), so federation's `_service` never enters
 * the stitched schema, and sends one static CSRF header: multipart uploads without one are refused,
 * and this gateway is not a browser. The CSRF check for browsers moves here, where they connect.
 * In production, where introspection is off, build the subschema from the checked-in
 * `schema.graphql` (`buildSchema(readFileSync(...))`) instead of `schemaFromExecutor`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { stitchSchemas } from '@graphql-tools/stitch';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';

export interface StitchingGateway {
  /** This gateway's own `/graphql`. */
  url: string;
  schema: GraphQLSchema;
  close(): Promise<void>;
}

export interface StitchingOptions {
  /** Your other subschemas, stitched beside ktp-gateway's. Default: none. */
  subschemas?: NonNullable<Parameters<typeof stitchSchemas>[0]['subschemas']>;
  /** Port to listen on. Default: 0 (any free port). */
  port?: number;
  /** Address to listen on. Default: `127.0.0.1`. */
  host?: string;
}

/** Stitches ktp-gateway's `/graphql` at `ktpGraphqlUrl` with `subschemas` and serves the result. */
export async function startStitchingGateway(ktpGraphqlUrl: string, options: StitchingOptions = {}): Promise<StitchingGateway> {
  const executor = buildHTTPExecutor({ endpoint: ktpGraphqlUrl, headers: { 'x-graphql-yoga-csrf': 'stitching-gateway' } });
  const schema = stitchSchemas({
    subschemas: [{ schema: await schemaFromExecutor(executor), executor }, ...(options.subschemas ?? [])],
  });
  const yoga = createYoga({
    schema,
    plugins: [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] })],
    logging: false,
    landingPage: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/graphql`,
    schema,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ktp = process.env.KTP_GRAPHQL_URL ?? 'http://127.0.0.1:4000/graphql';
  const gateway = await startStitchingGateway(ktp, { port: Number(process.env.PORT ?? 4100) });
  console.log(`stitching ${ktp} at ${gateway.url}`);
}
