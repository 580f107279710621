/**
 * What the Apollo Client and urql recipes (`examples/apollo-client.ts`, `examples/urql.ts`) send
 * and read: one `recognizeKtp` selection, the answer's type written by hand (no codegen step), and
 * the text a KYC screen shows for it. The union is handled by `__typename`.
 */

/** The mutation both client recipes send; `image` travels as a multipart file part. */
export const RECOGNIZE_CARD_FOR_CLIENTS = /* GraphQL */ `
  mutation RecognizeCardForClients($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity { nik name birthDate cached charged contentHash }
      ... on OcrError { code message retryable cached charged }
    }
  }
`;

/** What both client recipes take beside the endpoint. */
export interface ClientOptions {
  /** The fetch the client sends with. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Headers sent beside the CSRF header, e.g. `Authorization: Bearer <key>`. Default: none. */
  headers?: Record<string, string>;
}

export type CardAnswer =
  | { __typename: 'KtpIdentity'; nik: string | null; name: string | null; birthDate: string | null; cached: boolean; charged: boolean; contentHash: string | null }
  | { __typename: 'OcrError'; code: string; message: string; retryable: boolean; cached: boolean; charged: boolean };

export interface RecognizeCardForClients {
  recognizeKtp: CardAnswer;
}

/** One line for the screen: every union member handled (a new one fails to compile here). */
export function describeAnswer(answer: CardAnswer): string {
  // `charged && !cached`: this very request caused a charge.
  const cost = answer.charged && !answer.cached ? 'charged now' : 'no charge now';
  switch (answer.__typename) {
    case 'KtpIdentity':
      return `${answer.name ?? '(no name read)'}, NIK ${answer.nik ?? '(not read)'}, born ${answer.birthDate ?? 'unknown'} [${cost}]`;
    case 'OcrError':
      return `${answer.code}: ${answer.message}${answer.retryable ? ' (try again later)' : ''} [${cost}]`;
    default: {
      const unhandled: never = answer;
      return unhandled;
    }
  }
}
