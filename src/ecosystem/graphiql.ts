import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL's options for one request: the default query's curl example names the origin the
 * page was served from (the port the server listens on, or the host a proxy forwarded), never
 * a hard-coded one.
 */
export function graphiqlOptions(request: Request, graphqlPath: string): GraphiQLOptions {
  const endpoint = new URL(graphqlPath, request.url).toString();
  return { title: 'ktp-gateway', defaultQuery: defaultQuery(endpoint) };
}

function defaultQuery(endpoint: string): string {
  return `# GraphiQL cannot attach files, so recognizeKtp is tried from a terminal:
#
#   curl ${endpoint} \\
#     -H 'x-graphql-yoga-csrf: 1' \\
#     -F operations='{"query":"mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate } ... on OcrError { code message } } }","variables":{"image":null}}' \\
#     -F map='{"0":["variables.image"]}' \\
#     -F 0=@ktp.jpg
#
# Here you can explore the schema and check the recognizer:
query {
  ktpRecognizerStatus {
    provider
    ready
  }
}
`;
}
