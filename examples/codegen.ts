/**
 * GraphQL Code Generator for a frontend team's client of ktp-gateway.
 *
 *   npx graphql-codegen --config examples/codegen.ts
 *
 * writes typed documents to examples/gql/ from the operations in examples/*.ts. The schema is the
 * checked-in contract, `schema.graphql` (or a running gateway's `/graphql` outside production,
 * where introspection is on; `/graphql` never shows federation's `_service`).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: new URL('../schema.graphql', import.meta.url).pathname,
  documents: [new URL('./*.ts', import.meta.url).pathname, `!${new URL('./codegen.ts', import.meta.url).pathname}`],
  ignoreNoDocuments: false,
  generates: {
    [new URL('./gql/', import.meta.url).pathname]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Every custom scalar must be mapped: no `any` or `unknown` slips into the types.
        strictScalars: true,
        scalars: {
          // An upload is a web File (a browser's <input type="file">, or Node's File); never an output.
          Upload: { input: 'File', output: 'never' },
          // ISO 8601 `YYYY-MM-DD`, kept as the string the server sends: no time zone to get wrong.
          Date: { input: 'string', output: 'string' },
        },
        // Documents as strings with their types attached: usable with fetch, urql or Apollo alike.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        // ESM with explicit extensions, for "moduleResolution": "NodeNext" and bundlers alike.
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
