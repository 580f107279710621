import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { FAKE_API_KEY, SAMPLE_IDENTITY, startFakeEkycpro, type FakeAnswer, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { HANG_TIMEOUT_MS, request, startGatewayServer, type GatewayResponse, type GatewayServer } from '../support/gateway-server.ts';
import { testPdf, testText, truncated } from '../support/image-bytes.ts';
import { padPngTo, testJpeg, testPng } from '../support/images.ts';
import { uploadInit } from '../support/multipart.ts';
import { hostileImages } from '../support/hostile-images.ts';
import { CONTRACT_MESSAGES, CONTRACT_OK_KEYS, CONTRACT_ROUTE } from '../support/contract.ts';

/**
 * `POST /v1/id_ocr/general` through a real loopback gateway with the fake paid API behind it:
 * the contract spoken exactly, bad input answered for free, the cache shared with GraphQL.
 */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024; // room for a 2 MiB + 1 byte image as base64, cheap to exceed
const FORM = 'application/x-www-form-urlencoded';
/** The contract's clients always send a key; an open server ignores its value (but not its absence, see "Cross-site requests"). */
const ANY_KEY = { 'x-api-key': 'whatever-the-client-had' };
const FORM_HEADERS = { 'content-type': FORM, ...ANY_KEY };
const CLIENT_KEYS = ['client-key-alpha', 'client-key-beta'];
/** The breaker is not under test here: it must not open across tests that script failures. */
const NO_BREAKER = { breaker: { threshold: 1_000 } };

let fake: FakeEkycpro;
let gw: GatewayServer;
let hangGw: GatewayServer;
let keyedGw: GatewayServer;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  const env = { MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES) };
  [gw, hangGw, keyedGw] = await Promise.all([
    startGatewayServer({ fake, env, provider: { timeoutMs: 5_000, ...NO_BREAKER } }),
    startGatewayServer({ fake, env, provider: { settleMs: HANG_TIMEOUT_MS, ...NO_BREAKER } }),
    startGatewayServer({ fake, env: { ...env, REST_API_KEYS: CLIENT_KEYS.join(',') }, provider: NO_BREAKER }),
  ]);
});
afterAll(async () => {
  await Promise.all([gw.close(), hangGw.close(), keyedGw.close()]);
  await fake.close();
});
beforeEach(() => {
  fake.behaviour = () => ({ kind: 'ok' });
  fake.latencyMs = 0;
});

let seed = 7000;
const nextJpeg = () => testJpeg(seed++);

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** The body a careful client sends: `img` percent-encoded as the form encoding requires. */
const imgForm = (img: string) => new URLSearchParams({ img }).toString();

async function postContract(
  server: GatewayServer,
  body: BodyInit | null,
  headers: Record<string, string> = FORM_HEADERS,
): Promise<GatewayResponse> {
  return request(`${server.origin}${CONTRACT_ROUTE}`, { method: 'POST', headers, body });
}

/** Posts `bytes` as the contract's `img` and returns the answer, parsed, with the upstream calls it cost. */
async function recognizeRest(bytes: Uint8Array, server = gw, headers?: Record<string, string>) {
  const before = fake.calls.length;
  const response = await postContract(server, imgForm(base64(bytes)), headers);
  return { response, body: JSON.parse(response.text) as Record<string, unknown>, newCalls: fake.calls.length - before };
}

async function recognizeGraphQL(bytes: Uint8Array, server = gw) {
  const response = await request(server.graphqlUrl, uploadInit({ bytes }));
  expect(response.json?.errors).toBeUndefined();
  return response.json!.data!.recognizeKtp as Record<string, unknown>;
}

/** What the fake answers a client that calls it directly, exactly as the contract shows. */
async function askFakeDirectly(bytes: Uint8Array): Promise<string> {
  const response = await fetch(fake.url, {
    method: 'POST',
    headers: { 'content-type': FORM, 'x-api-key': FAKE_API_KEY },
    body: imgForm(base64(bytes)),
  });
  return response.text();
}

function expectContractAnswer(body: unknown, status: keyof typeof CONTRACT_MESSAGES): void {
  expect(body).toStrictEqual({ status, message: CONTRACT_MESSAGES[status] });
  expect(Object.keys(body as object)).toEqual(['status', 'message']);
}

describe('POST /v1/id_ocr/general: OK', () => {
  it('answers exactly what the upstream answered: same bytes, keys, order and spelling', async () => {
    const bytes = await nextJpeg();
    const direct = await askFakeDirectly(bytes);
    const { response, body } = await recognizeRest(bytes);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.text).toBe(direct);
    const expected = JSON.parse(direct) as { status: string; message: Record<string, string> };
    expect(body).toStrictEqual(expected);
    expect(Object.keys(body)).toEqual(['status', 'message']);
    expect(Object.keys(body.message as object)).toEqual(Object.keys(expected.message));
    expect(Object.keys(body.message as object)).toEqual([...CONTRACT_OK_KEYS]);
    // The contract's own spellings, not the schema's.
    expect(body.message).toMatchObject({ id: SAMPLE_IDENTITY.id, dob: '03-02-1982', nationnality: 'WNI', work: SAMPLE_IDENTITY.work });
  });

  it('prints every documented key, as an empty string where the upstream left it empty or out', async () => {
    const { pob: _pob, dob: _dob, ...partial } = SAMPLE_IDENTITY;
    fake.behaviour = () => ({ kind: 'ok', message: { ...partial, rt: '', rw: null, marital_status: '' } });
    const { body } = await recognizeRest(await nextJpeg());
    const message = body.message as Record<string, string>;
    expect(Object.keys(message)).toEqual([...CONTRACT_OK_KEYS]);
    expect(message).toMatchObject({ pob: '', dob: '', rt: '', rw: '', marital_status: '', id: SAMPLE_IDENTITY.id });
  });

  it('keeps the upstream strings verbatim (no trimming, no re-spelling)', async () => {
    const message = { ...SAMPLE_IDENTITY, name: ' HELLO  NAME ', work: 'PELAJAR/MAHASISWA', dob: '3-2-1982' };
    fake.behaviour = () => ({ kind: 'ok', message });
    const { body } = await recognizeRest(await nextJpeg());
    expect(body).toStrictEqual({ status: 'OK', message });
  });

  it('drops keys outside the contract, so strict clients see no surprise', async () => {
    fake.behaviour = () => ({ kind: 'ok', message: { ...SAMPLE_IDENTITY, blood_type: 'O', confidence: 0.9 } });
    const { body } = await recognizeRest(await nextJpeg());
    expect(body).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
  });
});

describe('POST /v1/id_ocr/general: upstream statuses passed through in the contract shape, HTTP 200', () => {
  it.each([
    ['FAIL', 1],
    ['INVALID_REQUEST', 1],
    ['IMAGE_INVALID_FORMAT', 1],
    ['IMAGE_INVALID_SIZE', 1],
    ['INNER_ERROR', 3], // retried twice by the provider: free, so safe
  ] as const)('upstream %s → the same status with its documented message', async (status, calls) => {
    fake.behaviour = () => ({ kind: 'status', status });
    const bytes = await nextJpeg();
    const { response, body } = await recognizeRest(bytes);
    expect(response.status).toBe(200);
    expectContractAnswer(body, status);
    expect(fake.callsFor(contentHash(bytes))).toBe(calls);
  });

  it('answers the documented message even when the upstream worded it differently', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'FAIL', message: 'no card found, try again' });
    expectContractAnswer((await recognizeRest(await nextJpeg())).body, 'FAIL');
  });

  it.each<[string, FakeAnswer]>([
    ['an HTML 502 page', { kind: 'http', status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }],
    ['an HTML 503 page', { kind: 'http', status: 503, contentType: 'text/html', body: '<html>Service Unavailable</html>' }],
    ['malformed JSON', { kind: 'http', status: 200, contentType: 'application/json', body: '{"status": "OK", "mess' }],
    ['a status outside the contract', { kind: 'status', status: 'RATE_LIMITED', message: 'slow down' }],
    ['a dropped connection', { kind: 'destroy' }],
  ])('upstream trouble (%s) → INNER_ERROR in the contract shape, HTTP 200', async (_name, answer) => {
    fake.behaviour = () => answer;
    const { response, body } = await recognizeRest(await nextJpeg());
    expect(response.status).toBe(200);
    expectContractAnswer(body, 'INNER_ERROR');
    expect(response.text).not.toMatch(/html|UPSTREAM_UNAVAILABLE/i);
  });

  it('an upstream OK without an identity (charged, unusable) → FAIL, the contract’s charged status, not the free INNER_ERROR', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'OK', omitMessage: true });
    const { response, body, newCalls } = await recognizeRest(await nextJpeg());
    expect(response.status).toBe(200);
    expectContractAnswer(body, 'FAIL');
    expect(response.headers.get('x-ktp-charged')).toBe('true');
    expect(newCalls).toBe(1);
  });

  it('an upstream that hangs past the timeout → INNER_ERROR in the contract shape, HTTP 200', async () => {
    fake.behaviour = () => ({ kind: 'hang' });
    // Order, not milliseconds: a timer queued for half the timeout fires before the answer.
    let halfway = false;
    setTimeout(() => (halfway = true), HANG_TIMEOUT_MS / 2);
    const { response, body, newCalls } = await recognizeRest(await nextJpeg(), hangGw);
    expect(halfway).toBe(true);
    expect(response.status).toBe(200);
    expectContractAnswer(body, 'INNER_ERROR');
    expect(newCalls).toBe(1);
  });

  it('never shows the upstream key, even when the upstream echoes it in its message', async () => {
    fake.behaviour = (call) => ({ kind: 'status', status: 'INVALID_REQUEST', message: `unknown key ${call.apiKey}` });
    // `request` fails the test if the key appears in the body or a header.
    expectContractAnswer((await recognizeRest(await nextJpeg())).body, 'INVALID_REQUEST');
  });
});

describe('POST /v1/id_ocr/general: refusals before the contract applies', () => {
  it('GET → 405 with Allow: POST, in the contract shape, zero calls', async () => {
    const before = fake.calls.length;
    const response = await request(`${gw.origin}${CONTRACT_ROUTE}?img=${encodeURIComponent(base64(await nextJpeg()))}`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expectContractAnswer(JSON.parse(response.text), 'INVALID_REQUEST');
    expect(fake.calls.length).toBe(before);
  });

  it('a body over MAX_REQUEST_BYTES → 413 in the contract shape, zero calls', async () => {
    const before = fake.calls.length;
    const response = await postContract(gw, `img=${'A'.repeat(MAX_REQUEST_BYTES)}`);
    expect(response.status).toBe(413);
    expectContractAnswer(JSON.parse(response.text), 'IMAGE_INVALID_SIZE');
    expect(fake.calls.length).toBe(before);
  });
});

describe('POST /v1/id_ocr/general: bad requests answered per the contract, HTTP 200, zero upstream calls', () => {
  it.each<[string, () => Promise<{ body: BodyInit; headers?: Record<string, string> }>]>([
    ['a missing img', async () => ({ body: 'image=abcd&name=ktp' })],
    ['an empty body', async () => ({ body: '' })],
    ['an empty img', async () => ({ body: 'img=' })],
    ['an img of spaces only', async () => ({ body: 'img=%20%20%20' })],
    ['img sent as JSON', async () => ({ body: JSON.stringify({ img: base64(await nextJpeg()) }), headers: { 'content-type': 'application/json', ...ANY_KEY } })],
    [
      'img sent as multipart/form-data',
      async () => {
        const form = new FormData();
        form.append('img', base64(await nextJpeg()));
        return { body: form, headers: ANY_KEY };
      },
    ],
    ['img as text/plain', async () => ({ body: imgForm(base64(await nextJpeg())), headers: { 'content-type': 'text/plain', ...ANY_KEY } })],
    ['no content type at all', async () => ({ body: new Blob([imgForm(base64(await nextJpeg()))]), headers: ANY_KEY })],
    ['a JSON body labelled as a form', async () => ({ body: JSON.stringify({ img: base64(await nextJpeg()) }) })],
    ['raw base64 without `img=`', async () => ({ body: encodeURIComponent(base64(await nextJpeg())) })],
    ['raw image bytes labelled as a form', async () => ({ body: await nextJpeg() })],
    ['img that is not base64', async () => ({ body: imgForm('this is *not* base64!') })],
    ['img in two base64 alphabets at once', async () => ({ body: imgForm(`${base64(await nextJpeg()).slice(0, 40)}-_`) })],
  ])('%s → INVALID_REQUEST', async (_name, make) => {
    const { body, headers } = await make();
    const before = fake.calls.length;
    const response = await postContract(gw, body, headers ?? FORM_HEADERS);
    expect(response.status).toBe(200);
    expectContractAnswer(JSON.parse(response.text), 'INVALID_REQUEST');
    expect(fake.calls.length).toBe(before);
  });

  it.each<[string, 'IMAGE_INVALID_FORMAT' | 'IMAGE_INVALID_SIZE', () => Promise<Uint8Array>]>([
    ['a PDF', 'IMAGE_INVALID_FORMAT', async () => testPdf(7100)],
    ['a text file', 'IMAGE_INVALID_FORMAT', async () => testText(7101)],
    ['a truncated JPEG', 'IMAGE_INVALID_FORMAT', async () => truncated(await testJpeg(7102, 64, 64))],
    ['a truncated PNG', 'IMAGE_INVALID_FORMAT', async () => truncated(await testPng(7103, 64, 64))],
    ['a 2 MiB + 1 byte image', 'IMAGE_INVALID_SIZE', async () => padPngTo(await testPng(7104), 2 * 1024 * 1024 + 1)],
  ])('%s → %s', async (_name, status, make) => {
    const { response, body, newCalls } = await recognizeRest(await make());
    expect(response.status).toBe(200);
    expectContractAnswer(body, status);
    expect(newCalls).toBe(0);
  });

  it('33+ hostile files (bombs, corrupt data, impossible headers) → their contract status, documented message, 0 calls', async () => {
    const before = fake.calls.length;
    for (const file of await hostileImages(71)) {
      const { response, body } = await recognizeRest(file.bytes);
      expect(response.status, file.name).toBe(200);
      expect(response.headers.get('x-ktp-charged'), file.name).toBe('false');
      expectContractAnswer(body, file.code);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('an image of exactly 2 MiB is accepted and reaches the upstream once', async () => {
    const bytes = padPngTo(await testPng(7105), 2 * 1024 * 1024);
    const { body, newCalls } = await recognizeRest(bytes);
    expect(body.status).toBe('OK');
    expect(newCalls).toBe(1);
  });
});

describe('POST /v1/id_ocr/general: accepted encodings of img', () => {
  it('plain, data URL, URL-safe unpadded, line-wrapped and careless `+` encodings of one image are all recognised, and paid once', async () => {
    const bytes = await nextJpeg();
    const plain = base64(bytes);
    const bodies = [
      imgForm(plain),
      imgForm(`data:image/jpeg;base64,${plain}`),
      imgForm(Buffer.from(bytes).toString('base64url')),
      imgForm(plain.match(/.{1,76}/g)!.join('\r\n')),
      `img=${plain}`, // `+` and `/` not percent-encoded: the form decoding turns `+` into a space
    ];
    expect(plain).toMatch(/\+/); // the careless body really is careless
    for (const body of bodies) {
      const response = await postContract(gw, body);
      expect(JSON.parse(response.text)).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
    }
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('accepts a charset parameter on the content type', async () => {
    const response = await postContract(gw, imgForm(base64(await nextJpeg())), { ...FORM_HEADERS, 'content-type': `${FORM}; charset=UTF-8` });
    expect(JSON.parse(response.text).status).toBe('OK');
  });
});

describe('POST /v1/id_ocr/general: one cache and one flight with recognizeKtp', () => {
  it('REST, then GraphQL, then REST: one upstream call; GraphQL says cached', async () => {
    const bytes = await nextJpeg();
    const first = await recognizeRest(bytes);
    expect(first.body.status).toBe('OK');
    expect(await recognizeGraphQL(bytes)).toMatchObject({ __typename: 'KtpIdentity', nik: SAMPLE_IDENTITY.id, cached: true });
    const third = await recognizeRest(bytes);
    expect(third.body).toStrictEqual(first.body);
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('GraphQL, then REST, then GraphQL: one upstream call', async () => {
    const bytes = await nextJpeg();
    expect(await recognizeGraphQL(bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    const rest = await recognizeRest(bytes);
    expect(rest.body).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
    expect(rest.response.headers.get('x-ktp-cached')).toBe('true');
    expect(await recognizeGraphQL(bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('a FAIL via GraphQL is answered FAIL via REST without another call', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const bytes = await nextJpeg();
    expect(await recognizeGraphQL(bytes)).toMatchObject({ code: 'FAIL', charged: true, cached: false });
    const rest = await recognizeRest(bytes);
    expectContractAnswer(rest.body, 'FAIL');
    expect(rest.newCalls).toBe(0);
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('concurrent REST and GraphQL requests for one image share one upstream call', async () => {
    fake.latencyMs = 150;
    const bytes = await nextJpeg();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? recognizeGraphQL(bytes) : recognizeRest(bytes).then((r) => r.body))),
    );
    expect(results.filter((r) => r.status === 'OK' || r.__typename === 'KtpIdentity')).toHaveLength(10);
    expect(fake.callsFor(contentHash(bytes))).toBe(1);
  });
});

describe('POST /v1/id_ocr/general: what an answer cost, in x-ktp-cached / x-ktp-charged', () => {
  it('a paid OK: charged and not cached the first time, cached and not charged the second', async () => {
    const bytes = await nextJpeg();
    const first = (await recognizeRest(bytes)).response.headers;
    expect([first.get('x-ktp-cached'), first.get('x-ktp-charged')]).toEqual(['false', 'true']);
    const second = (await recognizeRest(bytes)).response.headers;
    expect([second.get('x-ktp-cached'), second.get('x-ktp-charged')]).toEqual(['true', 'false']);
  });

  it('a FAIL is charged', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const { response } = await recognizeRest(await nextJpeg());
    expect([response.headers.get('x-ktp-cached'), response.headers.get('x-ktp-charged')]).toEqual(['false', 'true']);
  });

  it.each(['INVALID_REQUEST', 'IMAGE_INVALID_FORMAT', 'IMAGE_INVALID_SIZE', 'INNER_ERROR'])('%s from the upstream is free', async (status) => {
    fake.behaviour = () => ({ kind: 'status', status });
    const { response } = await recognizeRest(await nextJpeg());
    expect([response.headers.get('x-ktp-cached'), response.headers.get('x-ktp-charged')]).toEqual(['false', 'false']);
  });

  it('an image refused by the gateway itself is free and not cached', async () => {
    const { response } = await recognizeRest(testPdf(7200));
    expect([response.headers.get('x-ktp-cached'), response.headers.get('x-ktp-charged')]).toEqual(['false', 'false']);
  });
});

describe('X-API-Key with REST_API_KEYS configured', () => {
  it.each<[string, Record<string, string>]>([
    ['no key', {}],
    ['an empty key', { 'x-api-key': '' }],
    ['a wrong key', { 'x-api-key': 'client-key-gamma' }],
    ['a configured key with a different case', { 'x-api-key': CLIENT_KEYS[0]!.toUpperCase() }],
    ['a prefix of a configured key', { 'x-api-key': CLIENT_KEYS[0]!.slice(0, -1) }],
    ['a configured key with one character more', { 'x-api-key': `${CLIENT_KEYS[0]!}x` }],
    ['a key of 4 KB', { 'x-api-key': 'k'.repeat(4096) }],
    ['the gateway’s own upstream key', { 'x-api-key': FAKE_API_KEY }],
  ])('%s → 401 in the contract shape, zero calls', async (_name, key) => {
    const { response, body, newCalls } = await recognizeRest(await nextJpeg(), keyedGw, { 'content-type': FORM, ...key });
    expect(response.status).toBe(401);
    expect(Object.keys(body)).toEqual(['status', 'message']);
    expect(body.status).toBe('INVALID_REQUEST');
    expect(typeof body.message).toBe('string');
    expect(newCalls).toBe(0);
  });

  it.each(CLIENT_KEYS)('the configured key %s is accepted', async (key) => {
    const { response, body, newCalls } = await recognizeRest(await nextJpeg(), keyedGw, { 'content-type': FORM, 'x-api-key': key });
    expect(response.status).toBe(200);
    expect(body).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
    expect(newCalls).toBe(1);
  });

  it('is checked before the request is validated: a keyless bad request is still 401', async () => {
    const response = await postContract(keyedGw, 'nothing', { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
  });

  it('the gateway’s own upstream key is refused even when an operator lists it in REST_API_KEYS', async () => {
    const misconfigured = await startGatewayServer({
      fake,
      env: { REST_API_KEYS: `${CLIENT_KEYS[0]},${FAKE_API_KEY}`, EKYCPRO_API_KEY: FAKE_API_KEY },
    });
    try {
      const own = await recognizeRest(await nextJpeg(), misconfigured, { 'content-type': FORM, 'x-api-key': FAKE_API_KEY });
      expect(own.response.status).toBe(401);
      expect(own.newCalls).toBe(0);
      const client = await recognizeRest(await nextJpeg(), misconfigured, { 'content-type': FORM, 'x-api-key': CLIENT_KEYS[0]! });
      expect(client.body.status).toBe('OK');
    } finally {
      await misconfigured.close();
    }
  });

  it('REST_API_KEYS listing only the upstream key still requires a key, and accepts none', async () => {
    const misconfigured = await startGatewayServer({ fake, env: { REST_API_KEYS: FAKE_API_KEY, EKYCPRO_API_KEY: FAKE_API_KEY } });
    try {
      const keys: Record<string, string>[] = [{}, { 'x-api-key': FAKE_API_KEY }, { 'x-api-key': 'anything' }];
      for (const key of keys) {
        const { response, newCalls } = await recognizeRest(await nextJpeg(), misconfigured, { 'content-type': FORM, ...key });
        expect(response.status).toBe(401);
        expect(newCalls).toBe(0);
      }
    } finally {
      await misconfigured.close();
    }
  });

  it('applies to GraphQL too (REST_API_KEYS are client keys): 401 without one, served with one', async () => {
    const keyless = await request(keyedGw.graphqlUrl, uploadInit({ bytes: await nextJpeg() }));
    expect(keyless.status).toBe(401);
    const init = uploadInit({ bytes: await nextJpeg() });
    const keyed = await request(keyedGw.graphqlUrl, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${CLIENT_KEYS[1]}` } });
    expect(keyed.json?.data?.recognizeKtp).toMatchObject({ __typename: 'KtpIdentity' });
  });
});

describe('X-API-Key with no REST_API_KEYS configured', () => {
  it.each<[string, Record<string, string>]>([
    ['any key', { 'x-api-key': 'whatever-the-client-had' }],
    ['a bearer credential', { authorization: 'Bearer whatever' }],
  ])('%s → the header is ignored and the image recognised', async (_name, key) => {
    const { response, body } = await recognizeRest(await nextJpeg(), gw, { 'content-type': FORM, ...key });
    expect(response.status).toBe(200);
    expect(body).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
  });

  it('the client’s key is not what reaches the upstream: the gateway sends its own', async () => {
    const bytes = await nextJpeg();
    await recognizeRest(bytes, gw, { 'content-type': FORM, 'x-api-key': 'whatever-the-client-had' });
    const call = fake.calls.find((c) => c.imageHash === contentHash(bytes));
    expect(call?.apiKey).toBe(FAKE_API_KEY);
  });
});

describe('Cross-site requests on an open server (ALLOW_ANONYMOUS)', () => {
  const SITE = 'https://app.example.test';
  let open: GatewayServer;
  beforeAll(async () => {
    open = await startGatewayServer({ fake, env: { NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true', CORS_ORIGINS: SITE } });
  });
  afterAll(() => open.close());

  it('a plain form post with no key is 403 INVALID_REQUEST before any work; the same post with X-API-Key is served', async () => {
    const bytes = await nextJpeg();
    const form = imgForm(base64(bytes));
    // What an HTML <form> on any site posts: no preflight, no key.
    const { response, body, newCalls } = await recognizeRest(bytes, open, { 'content-type': FORM });
    expect(response.status).toBe(403);
    expect(body.status).toBe('INVALID_REQUEST');
    expect(body.message).toMatch(/X-API-Key/);
    expect(newCalls).toBe(0);
    expect(fake.callsFor(contentHash(bytes))).toBe(0);
    const keyed = await postContract(open, form, FORM_HEADERS);
    expect(JSON.parse(keyed.text)).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
  });

  it.each<[string, Record<string, string>, number]>([
    ['cross-site from an origin not in CORS_ORIGINS, even with a key', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example.test' }, 403],
    ['cross-site with no Origin at all', { 'sec-fetch-site': 'cross-site' }, 403],
    ['an empty X-API-Key and no Authorization', { 'x-api-key': '' }, 403],
    ['cross-site from an origin in CORS_ORIGINS', { 'sec-fetch-site': 'cross-site', origin: SITE }, 200],
    ['same-origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example.test' }, 200],
  ])('%s → %i', async (_name, browser, status) => {
    const { response, body, newCalls } = await recognizeRest(await nextJpeg(), open, { ...FORM_HEADERS, ...browser });
    expect(response.status).toBe(status);
    expect(body.status).toBe(status === 200 ? 'OK' : 'INVALID_REQUEST');
    expect(newCalls).toBe(status === 200 ? 1 : 0);
  });

  it('a cross-site post with no key and no CORS_ORIGINS is refused on the default open server too', async () => {
    const { response, newCalls } = await recognizeRest(await nextJpeg(), gw, { 'content-type': FORM, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example.test' });
    expect(response.status).toBe(403);
    expect(newCalls).toBe(0);
  });
});
