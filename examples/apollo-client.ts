/**
 * Apollo Client 4 recognising a card: apollo-upload-client's `UploadHttpLink` sends `File`
 * variables with the GraphQL multipart request spec, and `Apollo-Require-Preflight: true` is the
 * CSRF header the gateway requires on every multipart request (without one: 403, nothing charged).
 */
import { ApolloClient, InMemoryCache, type TypedDocumentNode, gql } from '@apollo/client';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { RECOGNIZE_CARD_FOR_CLIENTS, type RecognizeCardForClients, type CardAnswer, type ClientOptions } from './card-answer.ts';

const RECOGNIZE: TypedDocumentNode<RecognizeCardForClients, { image: File }> = gql(RECOGNIZE_CARD_FOR_CLIENTS);

/** A client for the gateway's `/graphql` at `endpoint`. */
export function createApolloClient(endpoint: string, options: ClientOptions = {}): ApolloClient {
  return new ApolloClient({
    link: new UploadHttpLink({
      uri: endpoint,
      fetch: options.fetch ?? fetch,
      headers: { ...options.headers, 'Apollo-Require-Preflight': 'true' },
    }),
    // The answer is a union: the cache must know its members to store them.
    cache: new InMemoryCache({ possibleTypes: { RecognizeKtpResult: ['KtpIdentity', 'OcrError'] } }),
  });
}

/** Recognises `image`; an unreadable card is an `OcrError` in the data, a refused request throws. */
export async function recognizeWithApollo(client: ApolloClient, image: File): Promise<CardAnswer> {
  const result = await client.mutate({ mutation: RECOGNIZE, variables: { image } });
  if (result.error || !result.data) throw result.error ?? new Error('no data');
  return result.data.recognizeKtp;
}
