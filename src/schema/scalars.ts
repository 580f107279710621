import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the scalars answer to a bad value. None quotes the value, so they may be shown as they are. */
export const SCALAR_ERRORS = {
  uploadNotAFile: 'Upload expects a file sent as a multipart request (see the README), not an inline value',
  uploadInline: 'Upload cannot be written inline; send the file as a multipart request variable',
  uploadOutput: 'Upload is an input-only scalar',
  date: 'Date expects YYYY-MM-DD',
} as const;

builder.scalarType('Upload', {
  description: 'A file sent with the GraphQL multipart request spec (Apollo Client / urql upload links, curl -F).',
  serialize: () => {
    throw new GraphQLError(SCALAR_ERRORS.uploadOutput);
  },
  parseValue: (value) => {
    // Yoga hands multipart files over as web `File` objects; anything else (a string, a path) is
    // a client that did not send the multipart request spec.
    if (isFile(value)) return value;
    throw new GraphQLError(SCALAR_ERRORS.uploadNotAFile);
  },
  parseLiteral: () => {
    throw new GraphQLError(SCALAR_ERRORS.uploadInline);
  },
});

builder.scalarType('Date', {
  description: 'A calendar date, ISO 8601 `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string' && ISO_DATE.test(value)) return value;
    throw new GraphQLError(SCALAR_ERRORS.date);
  },
  parseLiteral: (node) => {
    if (node.kind === Kind.STRING && ISO_DATE.test(node.value)) return node.value;
    throw new GraphQLError(SCALAR_ERRORS.date);
  },
});

/**
 * A web `File`, from whichever fetch implementation parsed the request: Yoga's multipart parser
 * (`@whatwg-node/fetch` on Node) hands over its own `PonyfillFile`, which is not `instanceof`
 * the global `File`. JSON variables can never produce an object with methods, so this still
 * refuses every inline value.
 */
function isFile(value: unknown): value is File {
  if (value instanceof File) return true;
  const candidate = value as Partial<File> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.arrayBuffer === 'function' &&
    typeof candidate.name === 'string' &&
    typeof candidate.size === 'number'
  );
}
