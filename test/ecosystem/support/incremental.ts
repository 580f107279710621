import { meros } from 'meros/browser';
import { checkedFetch } from '../../support/gateway-server.ts';
import { jpegFile } from './apollo.ts';

export const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824, application/graphql-response+json, application/json';

/** A GraphQL multipart upload of one image as `$image`, as any upload client sends it. */
export function uploadRequest(url: string, query: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', jpegFile(bytes));
  return checkedFetch(url, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1', accept: DEFER_ACCEPT, ...headers } });
}

/**
 * Reads an incremental-delivery answer part by part with `meros`, as a client library does:
 * each part's JSON in the order it arrived. A non-multipart answer is one part.
 */
export async function readParts(response: Response): Promise<Record<string, any>[]> {
  const parts = await meros<Record<string, any>>(response);
  if (parts instanceof Response) return [await parts.json()];
  const bodies: Record<string, any>[] = [];
  for await (const part of parts) {
    if (!part.json) throw new Error(`a part that is not JSON: ${String(part.body).slice(0, 80)}`);
    bodies.push(part.body);
  }
  return bodies;
}
