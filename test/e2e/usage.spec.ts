import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { writeKeyFile } from '../support/key-files.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';

/** `Query.ktpUsage` through a real gateway: each client reads its own usage; an admin reads everyone's. */
const KEYS = { app: 'usage-app-key', kiosk: 'usage-kiosk-key', ops: 'usage-ops-key' };

let gw: GatewayServer;
beforeAll(async () => {
  gw = await startGatewayServer({
    env: {
      API_KEYS_FILE: writeKeyFile([
        { id: 'app', key: KEYS.app },
        { id: 'kiosk', key: KEYS.kiosk, paidCallsPerDay: 0 },
        { id: 'ops', key: KEYS.ops, admin: true },
      ]),
    },
  });
});
afterAll(() => gw.close());

const recognize = (key: string, bytes: Uint8Array) => request(gw.graphqlUrl, uploadInit({ bytes }, { headers: { ...CSRF_HEADERS, authorization: `Bearer ${key}` } }));
const USAGE = '{ ktpUsage { client since recognitions paidCalls cacheHits coalesced paidCallsAvoided limited } }';
async function usage(key: string, query = USAGE) {
  const response = await request(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  expect(response.json?.errors).toBeUndefined();
  return response.json!.data!.ktpUsage as Record<string, unknown>[];
}

describe('ktpUsage', () => {
  it('counts recognitions, paid calls, cache hits, coalesced answers and the calls they avoided, per client', async () => {
    const [one, two] = await Promise.all([testJpeg(801), testJpeg(802)]);
    await Promise.all([recognize(KEYS.app, one!), recognize(KEYS.app, one!)]); // one paid, one coalesced (or, if late, a hit)
    await recognize(KEYS.app, one!); // a hit
    await recognize(KEYS.app, two!); // paid
    await recognize(KEYS.kiosk, two!); // over its budget of 0: limited
    const today = new Date().toISOString().slice(0, 10);

    const app = await usage(KEYS.app);
    expect(app).toHaveLength(1);
    expect(app[0]).toMatchObject({ client: 'app', since: today, recognitions: 4, paidCalls: 2, paidCallsAvoided: 2, limited: 0 });
    expect((app[0]!.cacheHits as number) + (app[0]!.coalesced as number)).toBe(2);
    expect(await usage(KEYS.kiosk)).toEqual([{ client: 'kiosk', since: today, recognitions: 1, paidCalls: 0, cacheHits: 0, coalesced: 0, paidCallsAvoided: 0, limited: 1 }]);

    // Every client with usage (the admin itself has none).
    const all = await usage(KEYS.ops);
    expect(all.map((entry) => [entry.client, entry.recognitions])).toEqual([['app', 4], ['kiosk', 1]]);
  });

  it('since a later day counts nothing; without a key it is a 401 like everything else', async () => {
    expect(await usage(KEYS.app, '{ ktpUsage(since: "2999-01-01") { client recognitions } }')).toEqual([{ client: 'app', recognitions: 0 }]);
    const keyless = await request(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: USAGE }) });
    expect(keyless.status).toBe(401);
  });
});
