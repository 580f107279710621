import { expect } from 'vitest';
import type { FakeEkycpro } from '../../support/fake-ekycpro.ts';
import { request } from '../../support/gateway-server.ts';
import { uploadInit } from '../../support/multipart.ts';

/**
 * What a shared e2e scenario talks to: a GraphQL endpoint with the fake paid API somewhere behind
 * it. A gateway in front of the fake (`startGatewayServer`), or a gateway in front of another
 * gateway's REST contract endpoint in front of the fake (`gateway-as-upstream.spec.ts`).
 */
export interface E2eTarget {
  graphqlUrl: string;
  /** The fake paid API at the far end, counting the calls that reach it. */
  fake: FakeEkycpro;
  close(): Promise<void>;
}

/** Starts a fresh target; each scenario decides whether it needs one per test or one per file. */
export type StartTarget = () => Promise<E2eTarget>;

export type RecognizeKtpResult = Record<string, any> & { __typename: string; cached: boolean; code?: string };

/** One upload through the target's GraphQL endpoint, as a client following the multipart spec sends it. */
export async function recognizeKtp(target: E2eTarget, bytes: Uint8Array): Promise<RecognizeKtpResult> {
  const response = await request(target.graphqlUrl, uploadInit({ bytes }));
  expect(response.status).toBe(200);
  expect(response.json?.errors).toBeUndefined();
  return response.json!.data!.recognizeKtp as RecognizeKtpResult;
}
