/**
 * Builders for the GraphQL multipart request spec
 * (https://github.com/jaydenseric/graphql-multipart-request-spec): `operations`, `map`, then the files.
 */

/**
 * Everything both union members print, so tests can assert on any of it. `contentHash` is `String!` on
 * KtpIdentity and `String` on OcrError, so GraphQL forbids selecting both under one name: aliased.
 */
export const RECOGNIZE_MUTATION = /* GraphQL */ `
  mutation Recognize($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity {
        nik
        name
        birthPlace
        birthDate
        gender
        religion
        maritalStatus
        nationality
        cached
        contentHash
        raw { id name dob gender nationnality }
      }
      ... on OcrError { code message charged retryable cached contentHash }
    }
  }
`;

export interface UploadFile {
  bytes: Uint8Array;
  filename?: string;
  type?: string;
}

export interface MultipartOptions {
  query?: string;
  variables?: Record<string, unknown>;
  /** Defaults to `{ "0": ["variables.image"] }`. */
  map?: Record<string, string[]>;
  /** Files by their map key; defaults to the one file as "0". */
  files?: Record<string, UploadFile>;
}

export function multipartForm(file: UploadFile | null, options: MultipartOptions = {}): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: options.query ?? RECOGNIZE_MUTATION, variables: options.variables ?? { image: null } }));
  form.append('map', JSON.stringify(options.map ?? { 0: ['variables.image'] }));
  const files = options.files ?? (file ? { 0: file } : {});
  for (const [key, f] of Object.entries(files)) {
    form.append(key, new File([f.bytes as Uint8Array<ArrayBuffer>], f.filename ?? 'ktp.jpg', { type: f.type ?? 'image/jpeg' }));
  }
  return form;
}

export const CSRF_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'x-graphql-yoga-csrf': '1' });

/**
 * RequestInit for one upload as a client following the spec sends it. The headers are a fresh
 * object each time: the fetch ponyfill behind `yoga.fetch` writes the multipart `content-type` (with
 * its own boundary) into the headers object it is given, and a shared one would carry that boundary
 * into every later upload, whose body has another.
 */
export function uploadInit(file: UploadFile | null, options: MultipartOptions & { headers?: Record<string, string>; signal?: AbortSignal } = {}): RequestInit {
  return { method: 'POST', headers: { ...(options.headers ?? CSRF_HEADERS) }, body: multipartForm(file, options), signal: options.signal };
}
