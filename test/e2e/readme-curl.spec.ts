import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { assertNoSecret, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';

/** The README's GraphQL multipart example, character for character. */
const README_CURL = `curl http://localhost:4000/graphql -H 'x-graphql-yoga-csrf: 1' -F operations='{"query":"mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { nik name birthDate } ... on OcrError { code message } } }","variables":{"image":null}}' -F map='{"0":["variables.image"]}' -F 0=@ktp.jpg`;

let gw: GatewayServer;
let dir: string;
let image: Uint8Array;
beforeAll(async () => {
  gw = await startGatewayServer();
  dir = await mkdtemp(join(tmpdir(), 'ktp-curl-'));
});
afterAll(async () => {
  await gw.close();
  await rm(dir, { recursive: true, force: true });
});
let seed = 5000;
beforeEach(async () => {
  gw.fake.behaviour = () => ({ kind: 'ok' });
  image = await testJpeg(seed++);
  await writeFile(join(dir, 'ktp.jpg'), image);
});

/** Runs the README command through a shell (its quoting included), with only the host and port substituted. */
function runReadmeCommand(): Promise<{ stdout: string; stderr: string }> {
  const command = README_CURL.replace(/^curl /, '/usr/bin/curl --silent --show-error ').replace('http://localhost:4000', gw.origin);
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { cwd: dir }, (error, stdout, stderr) =>
      error ? reject(new Error(`curl failed: ${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

describe('the README curl example', () => {
  it('is the command the README shows', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(README_CURL);
  });

  it('recognises ktp.jpg against the real server: nik, name and ISO birth date, one upstream call', async () => {
    const { stdout } = await runReadmeCommand();
    assertNoSecret(stdout);
    expect(JSON.parse(stdout)).toEqual({
      data: { recognizeKtp: { __typename: 'KtpIdentity', nik: SAMPLE_IDENTITY.id, name: SAMPLE_IDENTITY.name, birthDate: '1982-02-03' } },
    });
    expect(gw.fake.callsFor(contentHash(image))).toBe(1);
  });

  it('prints an OcrError code and message when the upstream answers FAIL', async () => {
    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const { stdout } = await runReadmeCommand();
    assertNoSecret(stdout);
    expect(JSON.parse(stdout)).toEqual({
      data: { recognizeKtp: { __typename: 'OcrError', code: 'FAIL', message: 'check input image and retry' } },
    });
  });

  it('does not pay again when the same command is run twice', async () => {
    await runReadmeCommand();
    await runReadmeCommand();
    expect(gw.fake.callsFor(contentHash(image))).toBe(1);
  });
});

describe("the README's REST example", () => {
  /** The command of the README's REST section, its line continuations included. */
  async function restCommand(): Promise<string> {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The REST contract'));
    return /```sh\n([\s\S]*?)\n```/.exec(section)![1]!;
  }

  it('sends a 137 KB photo (more than one shell argument may hold as base64) and gets the identity, one upstream call', async () => {
    const photo = await readFile(new URL('../fixtures/cards/ktp-09185/rotated.jpg', import.meta.url));
    expect(photo.byteLength).toBeGreaterThan(137_000);
    await writeFile(join(dir, 'ktp.jpg'), photo);
    const command = (await restCommand()).replace('curl ', '/usr/bin/curl --silent --show-error ').replace('http://localhost:4000', gw.origin);
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile('/bin/sh', ['-c', command], { cwd: dir }, (error, stdout, stderr) => (error ? reject(new Error(`curl failed: ${stderr}`)) : resolve({ stdout })));
    });
    const body = JSON.parse(stdout) as { status: string; message: { id: string } };
    expect(body).toMatchObject({ status: 'OK', message: { id: SAMPLE_IDENTITY.id } });
    expect(gw.fake.callsFor(contentHash(new Uint8Array(photo)))).toBe(1);
  });
});
