import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './enums.ts';
import './ktp-identity.ts';
import './ocr-error.ts';
import './recognize-ktp.ts';
import './ktp-identity-entity.ts';
import './recognizer-status.ts';
import './ktp-usage.ts';

/**
 * The schema served to a federation gateway on the subgraph path: the client-facing schema plus
 * Apollo Federation v2's `_service { sdl }` and `_entities`, so platform teams compose it into
 * their supergraph as it is.
 */
export const subgraphSchema: GraphQLSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});

/**
 * The schema served on `/graphql`: the contract, without federation plumbing, so that neither
 * stitching nor codegen nor a curious client sees `_service` or `_entities`.
 */
export const clientSchema: GraphQLSchema = builder.toSchema();

/** The client-facing contract: what `schema.graphql` holds. */
export function printContract(): string {
  return printSchema(lexicographicSortSchema(clientSchema));
}
