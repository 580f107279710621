import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import type { ProviderOutcome } from '../../src/outcome.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { testJpeg } from '../support/images.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';
import { readParts, uploadRequest } from './support/incremental.ts';

/** An offline-engine-like answer: per-field confidence, so there is a list worth streaming. */
const READ_WITH_CONFIDENCE: ProviderOutcome = {
  kind: 'identity',
  fields: { ...SAMPLE_IDENTITY },
  confidence: { id: 0.99, name: 0.42, dob: 0.97 },
  charged: false,
};

let gateway: Gateway;
let url: string;
let close: () => Promise<void>;
beforeAll(async () => {
  gateway = createGateway({ config: loadConfig({}), provider: scriptedProvider('local', () => READ_WITH_CONFIDENCE) });
  const server = createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
});
afterAll(() => close());

describe('@defer and @stream on /graphql, read part by part (multipart/mixed, meros)', () => {
  it('sends the core fields first, then nikCheck and confidence', async () => {
    const response = await uploadRequest(
      url,
      `mutation ($image: Upload!) {
        recognizeKtp(image: $image) {
          __typename
          ... on KtpIdentity {
            nik
            name
            ... @defer(label: "checks") { nikCheck { valid provinceName } confidence { field confidence } }
          }
        }
      }`,
      await testJpeg(10_401),
    );
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await readParts(response)).toEqual([
      { data: { recognizeKtp: { __typename: 'KtpIdentity', nik: '3171024302821001', name: 'HELLO NAME' } }, hasNext: true },
      {
        incremental: [
          {
            data: {
              nikCheck: { valid: true, provinceName: 'DKI JAKARTA' },
              confidence: [
                { field: 'dob', confidence: 0.97 },
                { field: 'id', confidence: 0.99 },
                { field: 'name', confidence: 0.42 },
              ],
            },
            label: 'checks',
            path: ['recognizeKtp'],
          },
        ],
        hasNext: false,
      },
    ]);
  });

  it('streams the confidence list item by item after the first', async () => {
    const response = await uploadRequest(
      url,
      `mutation ($image: Upload!) {
        recognizeKtp(image: $image) { ... on KtpIdentity { nik confidence @stream(initialCount: 1) { field } } }
      }`,
      await testJpeg(10_402),
    );
    const parts = await readParts(response);
    expect(parts[0]).toEqual({ data: { recognizeKtp: { nik: '3171024302821001', confidence: [{ field: 'dob' }] } }, hasNext: true });
    const streamed = parts.slice(1).flatMap((part) => (part.incremental ?? []) as { items: unknown[]; path: unknown[] }[]);
    expect(streamed.flatMap((increment) => increment.items)).toEqual([{ field: 'id' }, { field: 'name' }]);
    expect(streamed.map((increment) => increment.path)).toEqual([
      ['recognizeKtp', 'confidence', 1],
      ['recognizeKtp', 'confidence', 2],
    ]);
    expect(parts.at(-1)!.hasNext).toBe(false);
  });

  it('answers 406 to a client that asks for @defer but accepts only JSON, rather than dropping the deferred fields', async () => {
    const response = await uploadRequest(
      url,
      'mutation ($image: Upload!) { recognizeKtp(image: $image) { ... on KtpIdentity { nik ... @defer { nikCheck { valid } } } } }',
      await testJpeg(10_403),
      { accept: 'application/json' },
    );
    expect(response.status).toBe(406);
    expect(await response.text()).toBe('');
  });
});
