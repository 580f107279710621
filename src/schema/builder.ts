import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GraphQLContext } from './context.ts';

/** The one Pothos builder. Federation last, as its docs ask, so it sees every other plugin's fields. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    Upload: { Input: File; Output: never };
    Date: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.queryType({});
builder.mutationType({});
