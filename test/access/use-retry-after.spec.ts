import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';

/** `useRetryAfter` through `yoga.fetch`: a limit's wait goes out as `Retry-After`, the status stays 200. */
describe('useRetryAfter', () => {
  it('sets Retry-After on an answer refused by a limit, and on no other', async () => {
    const gateway = createGateway({
      config: loadConfig({ KTP_PROVIDER: 'ekycpro', API_KEYS_FILE: writeKeyFile([{ id: 'slow', key: 'slow-key', requestsPerMinute: 1 }]) }),
      provider: scriptedProvider(),
    });
    const send = async (seed: number) =>
      gateway.yoga.fetch('http://gateway.test/graphql', uploadInit({ bytes: await testJpeg(seed) }, { headers: { ...CSRF_HEADERS, authorization: 'Bearer slow-key' } }));
    const first = await send(1201);
    expect(first.headers.get('retry-after')).toBeNull();
    const limited = await send(1202);
    expect(limited.status).toBe(200);
    expect((await limited.json()).data.recognizeKtp).toMatchObject({ __typename: 'OcrError' });
    const seconds = Number(limited.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});
