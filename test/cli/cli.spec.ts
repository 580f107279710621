import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { RECOGNIZE_KTP_OPERATION } from '../../src/schema/operations.ts';
import { FAKE_API_KEY, SAMPLE_IDENTITY, startFakeEkycpro, type FakeAnswer, type FakeEkycpro } from '../support/fake-ekycpro.ts';
import { assertNoSecret, request, startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testPdf } from '../support/image-bytes.ts';
import { testJpeg } from '../support/images.ts';
import { findPersonalData } from '../support/log-collector.ts';
import { uploadInit } from '../support/multipart.ts';

/**
 * The command line. The package's bin is run as a user runs it (`node bin/ktp-gateway.js ...`, a
 * real process) where the process matters: a full recognition printed as JSON, the exit code reaching
 * the shell, and the offline engine as the README shows it. Every other case (usage, each exit code,
 * configuration errors) runs the bin's own code, `runCli`, in this process with an environment of its
 * own: the same arguments and answers, without a second of tsx start-up per case. Each test has its
 * own image, and the fake answers per image, so the cases run concurrently.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'ktp-gateway.js');

let fake: FakeEkycpro;
let gw: GatewayServer;
let dir: string;
/** The fake's answer per image hash; images not listed are recognised. */
const answers = new Map<string, FakeAnswer>();

beforeAll(async () => {
  fake = await startFakeEkycpro();
  fake.behaviour = (call) => answers.get(call.imageHash ?? '') ?? { kind: 'ok' };
  gw = await startGatewayServer({ fake });
  dir = await mkdtemp(join(tmpdir(), 'ktp-cli-'));
});
afterAll(async () => {
  await gw.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Real processes (over a second of tsx start-up each), two at a time: more only make each one slower. */
const MAX_PROCESSES = 2;
let running = 0;
const queue: (() => void)[] = [];
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PROCESSES) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

const paidEnv = (env: Record<string, string>) => ({ KTP_PROVIDER: 'ekycpro', EKYCPRO_URL: fake.url, EKYCPRO_API_KEY: FAKE_API_KEY, ...env });

/** Runs the bin with the paid provider's environment (and nothing else of ours inherited). */
function runBin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return withSlot(() => spawnBin(args, paidEnv(env)));
}

/** Runs the bin's code in this process, with the paid provider's environment and nothing else. */
async function runInProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, (text) => (stdout += text), (text) => (stderr += text), { env: paidEnv(env) });
  return { code, stdout, stderr };
}

/** Runs the bin as the README shows it: from the repository, no provider set (the offline engine). */
function runOfflineBin(args: string[]): Promise<Run> {
  // The engine loads its models in the process: far slower than a call to the fake.
  return withSlot(() => spawnBin(args, {}, { cwd: ROOT, timeout: 120_000 }));
}

function spawnBin(args: string[], env: Record<string, string>, { cwd = dir, timeout = 15_000 } = {}): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(KTP_|EKYCPRO_|REST_API_KEYS|CACHE_|MAX_|REDIS_|OCR_|LOCAL_OCR_)/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...inherited, ...env }, timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let seed = 6000;
/** A fresh image file in the temp dir; `answer` scripts what the fake says about it. */
async function imageFile(answer?: FakeAnswer, bytes?: Uint8Array): Promise<{ path: string; bytes: Uint8Array; hash: string }> {
  const data = bytes ?? (await testJpeg(seed++));
  const hash = contentHash(data);
  if (answer) answers.set(hash, answer);
  const path = join(dir, `card-${seed++}.jpg`);
  await writeFile(path, data);
  return { path, bytes: data, hash };
}

function expectNoKey(run: Run): void {
  assertNoSecret(run.stdout, 'CLI stdout');
  assertNoSecret(run.stderr, 'CLI stderr');
}

describe.concurrent('ktp-gateway (the package bin, a real process)', () => {
  it('recognize <image> --json prints what the GraphQL mutation returns (the full selection), exit 0', async () => {
    const { path, bytes, hash } = await imageFile();
    const run = await runBin(['recognize', path, '--json']);
    expect(run.code).toBe(0);
    expectNoKey(run);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;

    const response = await request(gw.graphqlUrl, uploadInit({ bytes }, { query: RECOGNIZE_KTP_OPERATION }));
    expect(response.json?.errors).toBeUndefined();
    const graphql = response.json!.data!.recognizeKtp as Record<string, unknown>;
    expect(graphql.__typename).toBe('KtpIdentity');
    expect({ ...printed, cached: undefined }).toStrictEqual({ ...graphql, cached: undefined });
    expect(Object.keys(printed)).toEqual(Object.keys(graphql));
    expect(printed).toMatchObject({ nik: SAMPLE_IDENTITY.id, birthDate: '1982-02-03', contentHash: hash, cached: false });
    expect(fake.callsFor(hash)).toBe(2); // the CLI's call and the gateway's (separate caches)
  });

  it('FAIL → exit 3 in the shell, the OcrError printed', async () => {
    const { path, hash } = await imageFile({ kind: 'status', status: 'FAIL' });
    const run = await runBin(['recognize', path, '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: true });
    expect(fake.callsFor(hash)).toBe(1);
  });
});

describe.concurrent('ktp-gateway’s code (runCli) in this process', () => {
  it('--help exits 0 and documents the command, --json and every exit code', async () => {
    const run = await runInProcess(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: ktp-gateway recognize <image> \[--json\]/);
    expect(run.stdout).toMatch(/--json/);
    expect(run.stdout).toMatch(/KTP_PROVIDER/);
    for (const code of [0, 1, 2, 3, 4, 5]) expect(run.stdout).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
    expect(run.stdout).toMatch(/3\s+FAIL/);
    expect(run.stdout).toMatch(/4\s+.*IMAGE_INVALID_FORMAT/);
    expect(run.stdout).toMatch(/5\s+.*UPSTREAM_UNAVAILABLE/);
  });

  it('without --json prints a readable summary with the identity and no API key, exit 0', async () => {
    const { path } = await imageFile();
    const run = await runInProcess(['recognize', path]);
    expect(run.code).toBe(0);
    expectNoKey(run);
    expect(() => JSON.parse(run.stdout)).toThrow();
    expect(run.stdout).toMatch(new RegExp(`^nik\\s+${SAMPLE_IDENTITY.id}$`, 'm'));
    expect(run.stdout).toMatch(/^name\s+HELLO NAME$/m);
    expect(run.stdout).toMatch(/^birthDate\s+1982-02-03$/m);
    expect(run.stdout).toMatch(/^raw\.nationnality\s+WNI$/m);
  });

  it('a non-image → exit 4 with zero upstream calls', async () => {
    const { path, hash } = await imageFile(undefined, testPdf(6100));
    const run = await runInProcess(['recognize', path, '--json']);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ __typename: 'OcrError', code: 'IMAGE_INVALID_FORMAT', charged: false });
    expect(fake.callsFor(hash)).toBe(0);
  });

  it('an unreachable upstream → exit 5, and the summary names no key', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { path } = await imageFile();
    const run = await runInProcess(['recognize', path], { EKYCPRO_URL: `http://127.0.0.1:${closedPort}/v1/id_ocr/general` });
    expect(run.code).toBe(5);
    expectNoKey(run);
    expect(run.stdout).toMatch(/^UPSTREAM_UNAVAILABLE: /);
  });

  it('a missing file → exit 2, naming the file and the reason, nothing on stdout', async () => {
    const missing = join(dir, 'no-such-card.jpg');
    const run = await runInProcess(['recognize', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ktp-gateway: cannot read ${missing}: no such file\n`);
    expect(run.stdout).toBe('');
  });

  it('a directory given as the image → exit 2, saying it is a directory', async () => {
    const run = await runInProcess(['recognize', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ktp-gateway: cannot read ${dir}: it is a directory\n`);
  });

  it.each([['--version'], ['-v']])('%s prints package.json’s version and exits 0, loading nothing', async (flag) => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    // Under a broken configuration too: the version is answered before any setting is read.
    const run = await runInProcess([flag], { KTP_PROVIDER: 'paid' });
    expect(run).toEqual({ code: 0, stdout: `ktp-gateway ${version}\n`, stderr: '' });
  });

  it('the paid provider loads no models, so nothing is said about them', async () => {
    const { path } = await imageFile();
    const run = await runInProcess(['recognize', path]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/loading models/);
  });

  it.each([
    ['no arguments', []],
    ['recognize without an image', ['recognize']],
    ['an unknown option', ['recognize', 'card.jpg', '--yaml']],
  ])('%s → exit 2 with the usage on stderr', async (_name, args) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Usage: ktp-gateway recognize/);
    expect(run.stdout).toBe('');
  });

  it('a bad configuration → exit 2 with the setting named', async () => {
    const { path } = await imageFile();
    const run = await runInProcess(['recognize', path], { KTP_PROVIDER: 'paid' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/KTP_PROVIDER/);
  });

  it.each([
    ['no REDIS_URL', {}, /set REDIS_URL and CACHE_ENCRYPTION_KEY/],
    ['REDIS_URL without a key', { REDIS_URL: 'redis://127.0.0.1:6379' }, /CACHE_ENCRYPTION_KEY is not/],
    ['LOCAL_OCR_WORKERS=0', { REDIS_URL: 'redis://127.0.0.1:6379', CACHE_ENCRYPTION_KEY: 'ab'.repeat(32), OCR_QUEUE: 'redis', LOCAL_OCR_WORKERS: '0' }, /at least 1/],
  ])('worker with %s → exit 2, saying what is missing, before loading any model', async (_what, env, message) => {
    const run = await runInProcess(['worker'], { KTP_PROVIDER: 'local', ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('ab'.repeat(32));
  });
});

describe('ktp-gateway with the offline engine, as the README shows it', () => {
  it('recognize test/fixtures/cards/ktp-09185/photo.jpg --json → that card’s identity, exit 0, nothing personal on stderr', async () => {
    const run = await runOfflineBin(['recognize', 'test/fixtures/cards/ktp-09185/photo.jpg', '--json']);
    // The wait for the models is announced on stderr, and that is all stderr says.
    expect(run.stderr).toBe('ktp-gateway: loading models…\n');
    expect(run.code).toBe(0);
    const truth = JSON.parse(await readFile(join(ROOT, 'test/fixtures/cards/ktp-09185/truth.json'), 'utf8')) as { id: string; name: string };
    expect(JSON.parse(run.stdout)).toMatchObject({ __typename: 'KtpIdentity', nik: truth.id, name: truth.name, charged: false });
  }, 150_000);

  it('a photo that is not a KTP → exit 3 (FAIL), free', async () => {
    const run = await runOfflineBin(['recognize', 'test/fixtures/cards/ktp-09185/not-a-ktp.jpg', '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ __typename: 'OcrError', code: 'FAIL', charged: false });
    expect(findPersonalData([{ source: 'CLI stderr', text: run.stderr }])).toEqual([]);
  }, 150_000);
});
