/**
 * A typed upload of a KTP photo with plain `fetch`, using the documents that
 * `examples/codegen.ts` generates: the answer's union is handled by `__typename`, and the user is
 * told whether the answer came from the cache and whether it was charged.
 */
import { graphql } from './gql/index.js';
import type { RecognizeCardMutation } from './gql/graphql.js';

export const RecognizeCard = graphql(`
  mutation RecognizeCard($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity {
        nik
        name
        birthDate
        gender
        nikCheck { valid warnings }
        cached
        charged
      }
      ... on OcrError {
        code
        message
        retryable
        cached
        charged
      }
    }
  }
`);

export type RecognizeCardResult = RecognizeCardMutation['recognizeKtp'];

/** Sends `image` with the GraphQL multipart request spec; `endpoint` is the gateway's `/graphql`. */
export async function recognizeCard(endpoint: string, image: File): Promise<RecognizeCardResult> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: RecognizeCard.toString(), variables: { image: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.image'] }));
  form.set('0', image);
  // Multipart requests must carry a CSRF header (Apollo's upload link sends Apollo-Require-Preflight).
  const response = await fetch(endpoint, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
  const body = (await response.json()) as { data?: RecognizeCardMutation | null; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data.recognizeKtp;
}

/** What a KYC screen shows for the answer: every union member handled, the compiler checks it. */
export function describeResult(result: RecognizeCardResult): string {
  const cost = `${result.cached ? 'from cache' : 'new recognition'}, ${result.charged && !result.cached ? 'charged now' : 'no charge now'}`;
  switch (result.__typename) {
    case 'KtpIdentity': {
      const checks = result.nikCheck.valid ? 'NIK checks pass' : 'NIK checks FAIL';
      const count = result.nikCheck.warnings.length;
      const warnings = count === 0 ? '' : ` (${count} warning${count === 1 ? '' : 's'}: ask for a second look)`;
      return `${result.name ?? '(no name read)'}, born ${result.birthDate ?? 'unknown'}, ${checks}${warnings} [${cost}]`;
    }
    case 'OcrError':
      return `${result.code}: ${result.message}${result.retryable ? ' (try again later)' : ''} [${cost}]`;
    default: {
      // A new union member added to the schema fails to compile here until it is handled.
      const unhandled: never = result;
      return unhandled;
    }
  }
}
