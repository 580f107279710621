import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './enums.ts';
import './ktp-identity.ts';
import './ocr-error.ts';
import './recognize-ktp.ts';
import './recognizer-status.ts';

/**
 * The schema as served: the client-facing schema plus Apollo Federation v2 subgraph fields
 * (`_service { sdl }`), so platform teams can compose it into their supergraph as it is.
 */
export const subgraphSchema: GraphQLSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});

/** The client-facing contract, without federation plumbing: what `schema.graphql` holds. */
export function printContract(): string {
  return printSchema(lexicographicSortSchema(builder.toSchema()));
}
