/**
 * @urql/core recognising a card: the fetch exchange sends `File` variables as a multipart
 * request by itself, and `x-graphql-yoga-csrf` is the CSRF header the gateway requires on every
 * multipart request (without one: 403, nothing charged).
 */
import { Client, fetchExchange, gql, type TypedDocumentNode } from '@urql/core';
import { RECOGNIZE_CARD_FOR_CLIENTS, type RecognizeCardForClients, type CardAnswer, type ClientOptions } from './card-answer.ts';

const RECOGNIZE: TypedDocumentNode<RecognizeCardForClients, { image: File }> = gql(RECOGNIZE_CARD_FOR_CLIENTS);

/** A client for the gateway's `/graphql` at `endpoint`. */
export function createUrqlClient(endpoint: string, options: ClientOptions = {}): Client {
  return new Client({
    url: endpoint,
    exchanges: [fetchExchange],
    fetch: options.fetch ?? fetch,
    fetchOptions: { headers: { ...options.headers, 'x-graphql-yoga-csrf': '1' } },
    // Mutations are never cached by urql anyway; the gateway's own cache is what saves money.
    requestPolicy: 'network-only',
  });
}

/** Recognises `image`; an unreadable card is an `OcrError` in the data, a refused request throws. */
export async function recognizeWithUrql(client: Client, image: File): Promise<CardAnswer> {
  const result = await client.mutation(RECOGNIZE, { image }).toPromise();
  if (result.error || !result.data) throw result.error ?? new Error('no data');
  return result.data.recognizeKtp;
}
