import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { checkedFetch } from '../../support/gateway-server.ts';

export interface ApolloOptions {
  /** Headers every request carries. Default: the one Apollo's upload docs tell users to send. */
  headers?: Record<string, string>;
  /** Put `PersistedQueryLink` in front of the upload link. */
  persistedQueries?: boolean;
  /** Sees every request the client sends and the status of its answer. */
  onFetch?: (sent: { body: BodyInit | null | undefined; status: number; contentType: string | null }) => void;
}

/**
 * Apollo Client 4 as a frontend team sets it up for uploads: apollo-upload-client's link, the
 * `Defer20220824Handler` that reads `multipart/mixed` incremental delivery (the format Yoga and
 * Hive Gateway send), and optionally the automatic-persisted-queries link in front.
 */
export function apolloClient(uri: string, options: ApolloOptions = {}): ApolloClient {
  const fetchAndWatch: typeof fetch = async (input, init) => {
    const response = await checkedFetch(input, init);
    options.onFetch?.({ body: init?.body, status: response.status, contentType: response.headers.get('content-type') });
    return response;
  };
  const upload = new UploadHttpLink({ uri, fetch: fetchAndWatch, headers: options.headers ?? { 'Apollo-Require-Preflight': 'true' } });
  const sha256 = (query: string) => createHash('sha256').update(query).digest('hex');
  return new ApolloClient({
    link: options.persistedQueries ? ApolloLink.from([new PersistedQueryLink({ sha256 }), upload]) : upload,
    cache: new InMemoryCache({ possibleTypes: { RecognizeKtpResult: ['KtpIdentity', 'OcrError'] } }),
    incrementalHandler: new Defer20220824Handler(),
  });
}

export const jpegFile = (bytes: Uint8Array, name = 'ktp.jpg') => new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'image/jpeg' });
