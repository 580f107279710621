/** What the page asks for, and how: one GraphQL multipart upload to this same gateway. */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Identity {
  __typename: 'KtpIdentity';
  nik: string;
  nikCheck: {
    valid: boolean;
    problems: string[];
    warnings: string[];
    provinceName: string | null;
    regencyName: string | null;
    districtName: string | null;
    birthDate: string | null;
    gender: string | null;
    birthDateMatchesCard: boolean | null;
    genderMatchesCard: boolean | null;
  };
  confidence: { field: string; confidence: number }[];
  fieldBoxes: { field: string; box: Box }[];
  portrait: Box | null;
  raw: Record<string, string | null>;
  cached: boolean;
  charged: boolean;
}

export interface OcrError {
  __typename: 'OcrError';
  code: string;
  message: string;
  charged: boolean;
  retryable: boolean;
  cached: boolean;
}

export type Recognition = Identity | OcrError;

const RECOGNIZE = /* GraphQL */ `
  mutation ReviewCard($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity {
        nik
        nikCheck {
          valid problems warnings provinceName regencyName districtName
          birthDate gender birthDateMatchesCard genderMatchesCard
        }
        confidence { field confidence }
        fieldBoxes { field box { x y width height } }
        portrait { x y width height }
        raw {
          id name pob dob gender blood_type address rt rw village district city province
          religion marital_status work nationnality valid_until issue_city issue_date
        }
        cached
        charged
      }
      ... on OcrError { code message charged retryable cached }
    }
  }
`;

/** A failure of the request itself (refused, too large, server busy), as opposed to an OcrError answer. */
export class RequestFailed extends Error {}

/**
 * Uploads the file by the GraphQL multipart request spec, with the CSRF header the gateway asks
 * of browsers (a page on another origin cannot send it without a CORS preflight).
 */
export async function recognize(file: File, endpoint = '/graphql'): Promise<Recognition> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: RECOGNIZE, variables: { image: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.image'] }));
  form.append('0', file, file.name || 'card');
  let response: Response;
  try {
    response = await fetch(endpoint, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': 'review-page' } });
  } catch {
    throw new RequestFailed('The gateway could not be reached.');
  }
  const body = (await response.json().catch(() => null)) as { data?: { recognizeKtp?: Recognition }; errors?: { message: string }[] } | null;
  const answer = body?.data?.recognizeKtp;
  if (answer) return answer;
  throw new RequestFailed(body?.errors?.[0]?.message ?? `The gateway answered HTTP ${response.status}.`);
}
