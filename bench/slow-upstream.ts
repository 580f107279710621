/**
 * `npm run bench:slow-upstream`: "never pays twice" when the paid API is slower than a request
 * may wait, against the real server (`src/server.ts` in a child process, loopback only) and the
 * loopback fake paid API, which counts every call that reaches it. The setup is the one the
 * problem was first measured with: the fake answers after 2.5 s, `EKYCPRO_TIMEOUT_MS=2000`.
 *
 *  1. One image sent 6 times, one send after another, while its call runs; then once more after
 *     it landed: the fake's calls for it, and what the last send got.
 *  2. A client with `paidCallsPerDay: 3` sending 15 distinct images, one after another: the fake's calls, and
 *     the client's `ktpUsage.paidCalls` once every call has settled.
 *  3. A truncated OK (`{"status":"OK","message":{"id":`), the image sent 3 times: the fake's calls.
 *
 * Prints figures, asserts nothing. About 20 s. `--help` prints this and exits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { contentHash } from '../src/recognition/content-hash.ts';
import { FAKE_API_KEY, startFakeEkycpro } from '../test/support/fake-ekycpro.ts';
import { testJpeg } from '../test/support/images.ts';
import { writeKeyFile } from '../test/support/key-files.ts';
import { multipartForm } from '../test/support/multipart.ts';

const { values: args } = parseArgs({ options: { help: { type: 'boolean' } } });
if (args.help) {
  console.log('Usage: npm run bench:slow-upstream\n\nThe paid API slower than EKYCPRO_TIMEOUT_MS: paid calls per image, per budget, per unreadable answer.\nNo settings; no Redis; it starts its own server and fake paid API on loopback and stops them.');
  process.exit(0);
}

const APP = 'bench-app-key';
const THRIFTY = 'bench-thrifty-key';
const UPSTREAM_MS = 2_500;
const TIMEOUT_MS = 2_000;

const fake = await startFakeEkycpro();
const keyFile = writeKeyFile([
  { id: 'app', key: APP },
  { id: 'thrifty', key: THRIFTY, paidCallsPerDay: 3 },
]);
const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    KTP_PROVIDER: 'ekycpro',
    EKYCPRO_URL: fake.url,
    EKYCPRO_API_KEY: FAKE_API_KEY,
    EKYCPRO_TIMEOUT_MS: String(TIMEOUT_MS),
    API_KEYS_FILE: keyFile,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = once(child, 'exit');
let output = '';
child.stdout!.on('data', (data) => (output += data));
while (!/localhost:(\d+)\/graphql/.test(output)) {
  if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const graphqlUrl = `http://127.0.0.1:${/localhost:(\d+)\/graphql/.exec(output)![1]}/graphql`;

const QUERY = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename ... on KtpIdentity { cached } ... on OcrError { code } } }';
async function send(bytes: Uint8Array, key = APP): Promise<string> {
  const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${key}` }, body: multipartForm({ bytes }, { query: QUERY }) });
  const answer = (await response.json()).data.recognizeKtp;
  return answer.__typename === 'KtpIdentity' ? `identity${answer.cached ? ' (cached)' : ''}` : answer.code;
}
async function paidCalls(key: string): Promise<number> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ ktpUsage { paidCalls } }' }),
  });
  return (await response.json()).data.ktpUsage[0].paidCalls;
}
const settled = async () => {
  while (fake.open > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 100));
};
const row = (what: string, figure: string | number, goal: string) => console.log(`| ${what} | ${figure} | ${goal} |`);

try {
  console.log(`paid API answers after ${UPSTREAM_MS} ms; EKYCPRO_TIMEOUT_MS=${TIMEOUT_MS}\n`);
  console.log('| case | measured | goal |\n|---|---|---|');
  fake.latencyMs = UPSTREAM_MS;

  const one = await testJpeg(7001);
  const answers: string[] = [];
  for (let i = 0; i < 6; i++) answers.push(await send(one));
  await settled();
  const last = await send(one);
  row('one image sent 6 times while its call runs: paid calls', fake.callsFor(contentHash(one)), '1');
  row('  the answers to the 6 sends', answers.join(', '), 'retry or the shared answer');
  row('  the send after the call landed', last, 'identity (cached)');

  const before = fake.calls.length;
  const images = await Promise.all(Array.from({ length: 15 }, (_, i) => testJpeg(7100 + i)));
  for (const bytes of images) await send(bytes, THRIFTY);
  await settled();
  row('budget of 3, 15 distinct slow images: paid calls', fake.calls.length - before, 'at most 3');
  row('  that client\'s ktpUsage.paidCalls', await paidCalls(THRIFTY), '= paid calls');

  fake.latencyMs = 0;
  fake.behaviour = () => ({ kind: 'http', status: 200, contentType: 'application/json', body: '{"status":"OK","message":{"id":' });
  const truncated = await testJpeg(7200);
  for (let i = 0; i < 3; i++) await send(truncated);
  row('a truncated OK, the image sent 3 times: paid calls', fake.callsFor(contentHash(truncated)), '1');
} finally {
  child.kill('SIGTERM');
  await exited;
  await fake.close();
}
