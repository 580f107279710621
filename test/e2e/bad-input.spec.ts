import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { request, startGatewayServer, assertNoSecret, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';
import { CSRF_HEADERS, multipartForm, uploadInit } from '../support/multipart.ts';
import { badImageScenarios } from './scenarios/bad-images.ts';

/** Bad input costs nothing and gets a clear answer. */
function runCurl(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/curl', args, { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

const MAX_REQUEST_BYTES = 3 * 1024 * 1024; // room for a 2 MiB image, small enough to exceed cheaply

const GATEWAY_OPTIONS = {
  env: { MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES), MAX_RECOGNITIONS_PER_OPERATION: '2' },
  provider: { timeoutMs: 5_000 }, // a 2 MiB image goes up as 2.8 MB of base64
};

// Bad images: shared with the gateway-behind-a-gateway chain (gateway-as-upstream.spec.ts).
badImageScenarios(() => startGatewayServer(GATEWAY_OPTIONS));

let fake: FakeEkycpro;
let gw: GatewayServer;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  gw = await startGatewayServer({ fake, ...GATEWAY_OPTIONS });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

describe('bad requests get a clear 4xx or GraphQL error, never a 500, and cost nothing', () => {
  it('a body over MAX_REQUEST_BYTES with Content-Length → 413', async () => {
    const before = fake.calls.length;
    const form = new Response(multipartForm({ bytes: new Uint8Array(MAX_REQUEST_BYTES + 1) }));
    const body = new Uint8Array(await form.arrayBuffer());
    const response = await request(gw.graphqlUrl, {
      method: 'POST',
      headers: { ...CSRF_HEADERS, 'content-type': form.headers.get('content-type')!, 'content-length': String(body.byteLength) },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.json?.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(fake.calls.length).toBe(before);
  });

  it('a chunked body over MAX_REQUEST_BYTES → 413 (curl, which reads the answer while it uploads)', async () => {
    const before = fake.calls.length;
    const file = join(await mkdtemp(join(tmpdir(), 'ktp-413-')), 'big.bin');
    await writeFile(file, new Uint8Array(MAX_REQUEST_BYTES * 2));
    const { stdout, code } = await runCurl([
      '-sS',
      '-w',
      '\n%{http_code}',
      '-H',
      'x-graphql-yoga-csrf: 1',
      '-H',
      'Transfer-Encoding: chunked',
      '-H',
      'content-type: multipart/form-data; boundary=ktp',
      '--data-binary',
      `@${file}`,
      gw.graphqlUrl,
    ]);
    expect(code).toBe(0);
    assertNoSecret(stdout);
    const [body, status] = stdout.split('\n');
    expect(status).toBe('413');
    expect(JSON.parse(body!).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(fake.calls.length).toBe(before);
  });

  it('a chunked body over MAX_REQUEST_BYTES → 413 as soon as the cap is passed (paced Node client)', async () => {
    const before = fake.calls.length;
    const url = new URL(gw.graphqlUrl);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    // The server answers 413 and closes; a write racing that close may fail (EPIPE, ECONNRESET) before
    // Node's client has parsed the answer: then the connection was cut, as the README's table says a
    // client may see, and what is checked is that it was cut once the cap was passed (status 0).
    const { status, text, sent } = await new Promise<{ status: number; text: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const client = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...CSRF_HEADERS, 'content-type': 'multipart/form-data; boundary=ktp', 'transfer-encoding': 'chunked' },
      });
      client.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString(), sent }));
        response.on('error', reject);
      });
      client.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        answered = true;
        if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve({ status: 0, text: '', sent });
        else reject(error);
      });
      // One chunk per millisecond, so that the answer is read while sending (as browsers and curl do).
      const pump = () => {
        if (answered) return;
        if (sent >= MAX_REQUEST_BYTES * 4) return void client.end();
        sent += chunk.byteLength;
        client.write(chunk);
        setTimeout(pump, 1);
      };
      pump();
    });
    if (status !== 0) {
      expect(status).toBe(413);
      assertNoSecret(text);
      expect(JSON.parse(text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    }
    // Refused when the cap was passed, not after the whole body had been read.
    expect(sent).toBeLessThan(MAX_REQUEST_BYTES * 2);
    expect(fake.calls.length).toBe(before);
  });

  it('two files in one request → 4xx', async () => {
    const before = fake.calls.length;
    const query = 'mutation ($a: Upload!, $b: Upload!) { a: recognizeKtp(image: $a) { __typename } b: recognizeKtp(image: $b) { __typename } }';
    const response = await request(gw.graphqlUrl, {
      method: 'POST',
      headers: CSRF_HEADERS,
      body: multipartForm(null, {
        query,
        variables: { a: null, b: null },
        map: { 0: ['variables.a'], 1: ['variables.b'] },
        files: { 0: { bytes: await testJpeg(3010) }, 1: { bytes: await testJpeg(3011) } },
      }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.json?.errors?.[0]?.message).toMatch(/files limit/i);
    expect(fake.calls.length).toBe(before);
  });

  it('a map pointing at a variable that does not exist → a GraphQL error, not a 500', async () => {
    const before = fake.calls.length;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3012) }, { map: { 0: ['variables.picture'] } }));
    expect([200, 400]).toContain(response.status);
    expect(response.json?.errors?.[0]?.message).toMatch(/\$image/);
    expect(response.json?.data?.recognizeKtp).toBeUndefined();
    expect(fake.calls.length).toBe(before);
  });

  it('an image variable left null (no file mapped) → a GraphQL error, not a 500', async () => {
    const before = fake.calls.length;
    const response = await request(gw.graphqlUrl, uploadInit(null, { map: {} }));
    expect([200, 400]).toContain(response.status);
    expect(response.json?.errors?.[0]?.message).toMatch(/\$image/);
    expect(fake.calls.length).toBe(before);
  });

  it('an image sent inline as a string in JSON → a GraphQL error, not a 500', async () => {
    const before = fake.calls.length;
    const response = await request(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }', variables: { image: 'ktp.jpg' } }),
    });
    expect([200, 400]).toContain(response.status);
    expect(response.json?.errors?.[0]?.message).toMatch(/multipart/);
    expect(fake.calls.length).toBe(before);
  });

  it('a malformed operations field → a GraphQL error naming the field, not a 500', async () => {
    const form = new FormData();
    form.append('operations', '{not json');
    form.append('map', '{}');
    const response = await request(gw.graphqlUrl, { method: 'POST', headers: CSRF_HEADERS, body: form });
    expect(response.status).toBeLessThan(500);
    expect(response.json?.errors?.[0]?.message).toMatch(/operations/);
  });

  it('a multipart request without the CSRF header → 403, zero calls', async () => {
    const before = fake.calls.length;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3013) }, { headers: {} }));
    expect(response.status).toBe(403);
    expect(fake.calls.length).toBe(before);
  });

  it('Apollo-Require-Preflight is accepted as the CSRF header', async () => {
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3014) }, { headers: { 'apollo-require-preflight': 'true' } }));
    expect(response.status).toBe(200);
    expect(response.json?.data?.recognizeKtp.__typename).toBe('KtpIdentity');
  });

  it.each([
    [
      'aliases',
      'mutation ($image: Upload!) { a: recognizeKtp(image: $image) { __typename } b: recognizeKtp(image: $image) { __typename } c: recognizeKtp(image: $image) { __typename } }',
    ],
    [
      'fragments',
      `mutation ($image: Upload!) { ...R ...R ... on Mutation { c: recognizeKtp(image: $image) { __typename } } }
       fragment R on Mutation { recognizeKtp(image: $image) { __typename } }`,
    ],
  ])('more recognizeKtp than maxRecognitionsPerOperation via %s → a validation error before any call', async (_via, query) => {
    const before = fake.calls.length;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3015) }, { query }));
    expect(response.status).toBeLessThan(500);
    expect(response.json?.data ?? undefined).toBeUndefined();
    expect(response.json?.errors?.[0]?.message).toMatch(/at most 2 times; this one selects it 3 times/);
    expect(response.json?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_RECOGNITIONS');
    expect(fake.calls.length).toBe(before);
  });
});

describe('hostile GraphQL documents are refused cheaply: a 4xx or a GraphQL error, never a 500', () => {
  const json = (body: unknown, accept = 'application/graphql-response+json') => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  const doubling = (levels: number) => {
    let document = `mutation ($image: Upload!) { ...F${levels} }\nfragment F0 on Mutation { recognizeKtp(image: $image) { __typename } }\n`;
    for (let i = 1; i <= levels; i++) document += `fragment F${i} on Mutation { ...F${i - 1} ...F${i - 1} }\n`;
    return document;
  };

  it('a fragment-doubling chain (2^30 recognitions in 1.7 KB), with and without a comment → 400', async () => {
    const before = fake.calls.length;
    for (const query of [doubling(30), `${doubling(30)}# another one`]) {
      const headers = { ...CSRF_HEADERS, accept: 'application/graphql-response+json' };
      const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3030) }, { query, headers }));
      expect(response.status).toBe(400);
      expect(response.json?.errors?.[0]?.message).toMatch(/limit of \d+ exceeded/);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('a document nested 10,000 deep → 400 with a short message', async () => {
    const response = await request(gw.graphqlUrl, json({ query: `{ ${'a {'.repeat(10_000)} b ${'}'.repeat(10_000)} }` }));
    expect(response.status).toBe(400);
    expect(response.json?.errors).toEqual([{ message: 'Syntax Error: Token limit of 1000 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
  });

  it('a JSON body over MAX_JSON_BODY_BYTES (64 KiB by default) → 413, though MAX_REQUEST_BYTES is megabytes', async () => {
    const aliases = Array.from({ length: 4_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const response = await request(gw.graphqlUrl, json({ query: `{ ${aliases} }` }, 'application/json'));
    expect(response.status).toBe(413);
    expect(response.json?.errors?.[0]).toEqual({ message: 'Request body larger than 65536 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
    // 64 KiB itself passes (a comment is not a token, so this one runs).
    const padded = { query: '{ __typename } #' };
    padded.query += 'x'.repeat(65_536 - JSON.stringify(padded).length);
    expect(JSON.stringify(padded).length).toBe(65_536);
    expect((await request(gw.graphqlUrl, json(padded))).json?.data).toEqual({ __typename: 'Query' });
  });

  it('a multipart `operations` field over 64 KiB → 400, the file notwithstanding', async () => {
    const before = fake.calls.length;
    const query = `mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }${' '.repeat(70_000)}`;
    const response = await request(gw.graphqlUrl, uploadInit({ bytes: await testJpeg(3031) }, { query }));
    expect(response.status).toBe(400);
    expect(response.json?.errors?.[0]?.message).toMatch(/Field value size exceeded: 65536 bytes/);
    expect(fake.calls.length).toBe(before);
  });
});

describe('missing EKYCPRO_API_KEY', () => {
  it('answers OcrError UPSTREAM_UNAVAILABLE with a clear message, with zero calls', async () => {
    const keyless = await startGatewayServer({ fake, provider: { apiKey: undefined } });
    try {
      const before = fake.calls.length;
      const response = await request(keyless.graphqlUrl, uploadInit({ bytes: await testJpeg(3020) }));
      expect(response.json?.data?.recognizeKtp).toMatchObject({ __typename: 'OcrError', code: 'UPSTREAM_UNAVAILABLE', charged: false });
      expect(response.json?.data?.recognizeKtp.message).toMatch(/EKYCPRO_API_KEY/);
      expect(fake.calls.length).toBe(before);
      const ready = await request(`${keyless.origin}/readyz`);
      expect(ready.status).toBe(503);
      const status = await request(keyless.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ ktpRecognizerStatus { provider ready } }' }),
      });
      expect(status.json?.data).toEqual({ ktpRecognizerStatus: { provider: 'ekycpro', ready: false } });
    } finally {
      await keyless.close();
    }
  });
});
