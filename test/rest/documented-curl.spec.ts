import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { FAKE_API_KEY, SAMPLE_IDENTITY, startFakeEkycpro, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { assertNoSecret, request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testText } from '../support/image-bytes.ts';
import { testJpeg, testPngOfSize } from '../support/images.ts';
import { CSRF_HEADERS, uploadInit } from '../support/multipart.ts';
import { CONTRACT_MESSAGES, CONTRACT_ROUTE } from '../support/contract.ts';

/**
 * The paid contract's own curl example, character for character (its `\--header` included: the
 * shell reads `\-` as `-`), run with the real curl through /bin/sh against our gateway with the
 * fake paid API behind it, and against the fake directly: the two outputs must be identical.
 */
const DOCUMENTED_CURL = `curl --location --request POST 'https://api.ekycpro.com/v1/id_ocr/general' \\--header 'Content-Type: application/x-www-form-urlencoded' \\--header 'X-API-Key: AbcdEfgh' \\--data-urlencode 'img=BASE64_ENCODE_VALUE'`;
/** The example's key, configured as our gateway's client key. */
const DOCUMENTED_KEY = 'AbcdEfgh';

let fake: FakeEkycpro;
let gw: GatewayServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeEkycpro();
  gw = await startGatewayServer({ fake, env: { REST_API_KEYS: DOCUMENTED_KEY }, provider: { timeoutMs: 5_000 } });
  dir = await mkdtemp(join(tmpdir(), 'ktp-documented-curl-'));
});
afterAll(async () => {
  await gw.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.behaviour = () => ({ kind: 'ok' });
});

interface CommandTarget {
  url: string;
  key: string;
  /** The inline `img=<base64>` the example shows, `img@file` (the same encoding, for large images), or any other quoted argument. */
  img: { base64: string } | { file: string } | { raw: string };
}

/** The documented command with only the URL, the key and the value substituted. */
function documentedCommand({ url, key, img }: CommandTarget): string {
  const data = 'base64' in img ? `'img=${img.base64}'` : 'file' in img ? `'img@${img.file}'` : img.raw;
  return DOCUMENTED_CURL.replace(/^curl /, '/usr/bin/curl --silent --show-error ')
    .replace('https://api.ekycpro.com/v1/id_ocr/general', url)
    .replace('X-API-Key: AbcdEfgh', `X-API-Key: ${key}`)
    .replace(`'img=BASE64_ENCODE_VALUE'`, data);
}

function run(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`curl failed: ${stderr}`)) : resolve(stdout),
    );
  });
}

const ours = (img: CommandTarget['img']) => run(documentedCommand({ url: `${gw.origin}${CONTRACT_ROUTE}`, key: DOCUMENTED_KEY, img }));
const upstreams = (img: CommandTarget['img']) => run(documentedCommand({ url: fake.url, key: FAKE_API_KEY, img }));

let seed = 8000;

describe('the contract’s documented curl example against our gateway', () => {
  it('sanity: the command keeps the example’s flags and only swaps the URL, key and value', () => {
    const command = documentedCommand({ url: 'http://127.0.0.1:1/v1/id_ocr/general', key: 'K', img: { base64: 'QUJD' } });
    expect(command).toBe(
      `/usr/bin/curl --silent --show-error --location --request POST 'http://127.0.0.1:1/v1/id_ocr/general' \\--header 'Content-Type: application/x-www-form-urlencoded' \\--header 'X-API-Key: K' \\--data-urlencode 'img=QUJD'`,
    );
  });

  it('returns exactly what the upstream returns for the same image, then costs zero more calls by REST or GraphQL', async () => {
    const image = await testJpeg(seed++);
    const hash = contentHash(image);
    const img = { base64: Buffer.from(image).toString('base64') };

    const direct = await upstreams(img);
    expect(fake.callsFor(hash)).toBe(1);
    const first = await ours(img);
    assertNoSecret(first);
    expect(first).toBe(direct);
    expect(JSON.parse(first)).toStrictEqual({ status: 'OK', message: SAMPLE_IDENTITY });
    expect(Object.keys(JSON.parse(first).message)).toEqual(Object.keys(JSON.parse(direct).message));
    expect(fake.callsFor(hash)).toBe(2); // the direct call, and ours

    expect(await ours(img)).toBe(direct);
    // The same client (REST_API_KEYS are client keys on GraphQL too), so the same cache scope.
    const graphql = await request(gw.graphqlUrl, uploadInit({ bytes: image }, { headers: { ...CSRF_HEADERS, 'x-api-key': DOCUMENTED_KEY } }));
    expect(graphql.json?.data?.recognizeKtp).toMatchObject({ __typename: 'KtpIdentity', nik: SAMPLE_IDENTITY.id, cached: true });
    expect(fake.callsFor(hash)).toBe(2);
  });

  it('with a large image sent as `--data-urlencode img@file`: the same answer as the upstream, paid once', async () => {
    const image = await testPngOfSize(seed++, 1_500_000);
    const hash = contentHash(image);
    const file = join(dir, 'ktp.b64');
    await writeFile(file, Buffer.from(image).toString('base64'));

    const direct = await upstreams({ file });
    const first = await ours({ file });
    expect(first).toBe(direct);
    expect(await ours({ file })).toBe(direct);
    expect(fake.callsFor(hash)).toBe(2); // the direct call, and ours once
  });

  it('a FAIL is the upstream’s FAIL byte for byte, and is not paid for again', async () => {
    fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const image = await testJpeg(seed++);
    const img = { base64: Buffer.from(image).toString('base64') };
    const direct = await upstreams(img);
    expect(await ours(img)).toBe(direct);
    expect(await ours(img)).toBe(direct);
    expect(fake.callsFor(contentHash(image))).toBe(2);
  });

  it('a non-image is answered IMAGE_INVALID_FORMAT without any upstream call', async () => {
    const before = fake.calls.length;
    const out = await ours({ base64: Buffer.from(testText(seed++)).toString('base64') });
    expect(JSON.parse(out)).toStrictEqual({ status: 'IMAGE_INVALID_FORMAT', message: CONTRACT_MESSAGES.IMAGE_INVALID_FORMAT });
    expect(fake.calls.length).toBe(before);
  });

  it.each([
    ['a missing img', `'image=QUJD'`],
    ['an empty img', `'img='`],
  ])('%s is answered INVALID_REQUEST without any upstream call', async (_name, raw) => {
    const before = fake.calls.length;
    const out = await ours({ raw });
    expect(JSON.parse(out)).toStrictEqual({ status: 'INVALID_REQUEST', message: CONTRACT_MESSAGES.INVALID_REQUEST });
    expect(fake.calls.length).toBe(before);
  });

  it('a wrong X-API-Key is refused in the contract’s shape without any upstream call', async () => {
    const before = fake.calls.length;
    const image = await testJpeg(seed++);
    const out = await run(
      `${documentedCommand({ url: `${gw.origin}${CONTRACT_ROUTE}`, key: 'WrongKey', img: { base64: Buffer.from(image).toString('base64') } })} --write-out ' %{http_code}'`,
    );
    const [body, status] = [out.slice(0, out.lastIndexOf(' ')), out.slice(out.lastIndexOf(' ') + 1)];
    expect(status).toBe('401');
    expect(JSON.parse(body)).toMatchObject({ status: 'INVALID_REQUEST' });
    expect(fake.calls.length).toBe(before);
  });
});
