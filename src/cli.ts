import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { execute, parse } from 'graphql';
import { ConfigError, loadConfig, type Env } from './config.ts';
import type { OcrErrorCode } from './outcome.ts';
import { createMemoryCache } from './recognition/memory-cache.ts';
import { createRecognizer } from './recognition/recognizer.ts';
import { createProvider } from './providers/index.ts';
import { createGraphQLContext } from './schema/context.ts';
import { subgraphSchema } from './schema/index.ts';
import { RECOGNIZE_KTP_OPERATION } from './schema/operations.ts';

const HELP = `Usage: ktp-gateway recognize <image> [--json]
       ktp-gateway worker
       ktp-gateway --version

recognize: recognises one KTP image (jpeg, png or bmp, at most 2 MiB) with the configured provider,
without a server, and prints the result of the GraphQL mutation recognizeKtp.

  --json     print the GraphQL result as JSON (data.recognizeKtp), for scripts
  --help     show this help
  --version  print the version and exit

The provider comes from the same environment as the server (see the README):
KTP_PROVIDER=local (default, offline) or ekycpro with EKYCPRO_URL and EKYCPRO_API_KEY.

worker: serves the shared OCR queue (OCR_QUEUE=redis on the gateways) with the offline engine,
on any machine that reaches Redis, until SIGINT or SIGTERM. Needs REDIS_URL and the gateways'
CACHE_ENCRYPTION_KEY; LOCAL_OCR_WORKERS sets its OCR threads (default: cores, at most 2;
for recognize, one: it reads one image).

Exit codes:
  0  a KtpIdentity was recognised
  1  an unexpected error (a bug: please report it)
  2  usage error (no such file, bad arguments, bad configuration)
  3  FAIL: the image was read but no KTP was recognised
  4  the image was refused: INVALID_REQUEST, IMAGE_INVALID_FORMAT, IMAGE_INVALID_SIZE
  5  the provider is unavailable: INNER_ERROR, UPSTREAM_UNAVAILABLE (retry later)
`;

const EXIT_CODES: Record<OcrErrorCode, number> = {
  FAIL: 3,
  INVALID_REQUEST: 4,
  IMAGE_INVALID_FORMAT: 4,
  IMAGE_INVALID_SIZE: 4,
  INNER_ERROR: 5,
  UPSTREAM_UNAVAILABLE: 5,
  // Spend limits apply to a server's clients; the CLI has none, so these would mean "retry later" too.
  RATE_LIMITED: 5,
  QUOTA_EXCEEDED: 5,
};

type Result = { __typename: 'KtpIdentity'; [field: string]: unknown } | { __typename: 'OcrError'; code: OcrErrorCode; message: string };

export interface CliOptions {
  /** Aborted to stop `worker` (the bin wires SIGINT and SIGTERM to it). */
  stop?: AbortSignal;
  /** Where the settings come from, as for the server. Default: `process.env`. */
  env?: Env;
}

export async function runCli(
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  { stop, env = process.env }: CliOptions = {},
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } });
  } catch (error) {
    err(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [command, path, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    out(HELP);
    return 0;
  }
  if (parsed.values.version) {
    out(`ktp-gateway ${packageVersion()}\n`);
    return 0;
  }
  if (command === 'worker' && path === undefined) return runWorker(out, err, stop, env);
  if (command !== 'recognize' || !path || rest.length > 0) {
    err(HELP);
    return 2;
  }

  let bytes: Buffer;
  let config;
  try {
    config = loadConfig(env);
    bytes = await readFile(path);
  } catch (error) {
    err(`ktp-gateway: ${error instanceof ConfigError ? error.message : `cannot read ${path}: ${readFailure(error)}`}\n`);
    return 2;
  }

  // The offline engine loads its models first (seconds): said on stderr, so that a wait is not
  // mistaken for a hang and stdout stays the result alone.
  if (config.provider === 'local') err('ktp-gateway: loading models…\n');
  // One image: a second OCR worker would only load a second copy of the models (seconds, ~400 MB)
  // and never get a job. One worker gets every core's onnxruntime threads instead.
  const provider = await createProvider({ ...config, local: { ...config.local, workers: config.local.workers ?? 1 } });
  try {
    const recognizer = createRecognizer({ provider, cache: createMemoryCache({ maxBytes: 0 }), imageLimits: config.imageLimits });
    const result = await execute({
      schema: subgraphSchema,
      document: parse(RECOGNIZE_KTP_OPERATION),
      variableValues: { image: new File([new Uint8Array(bytes)], basename(path)) },
      contextValue: createGraphQLContext(recognizer, undefined),
    });
    if (result.errors?.length) {
      err(`ktp-gateway: ${result.errors.map((e) => e.message).join('; ')}\n`);
      return 1;
    }
    const answer = (result.data as { recognizeKtp: Result }).recognizeKtp;
    out(parsed.values.json ? `${JSON.stringify(answer, null, 2)}\n` : describe(answer));
    return answer.__typename === 'KtpIdentity' ? 0 : EXIT_CODES[answer.code];
  } finally {
    await provider.close?.();
  }
}

/** `ktp-gateway worker`: runs until `stop` aborts, then finishes the jobs in hand. */
async function runWorker(out: (text: string) => void, err: (text: string) => void, stop: AbortSignal | undefined, env: Env): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    err(`ktp-gateway: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 2;
  }
  if (!config.redis.url || !config.redis.keys) {
    err('ktp-gateway worker: set REDIS_URL and CACHE_ENCRYPTION_KEY (the same as the gateways\')\n');
    return 2;
  }
  if (config.local.workers === 0) {
    err('ktp-gateway worker: LOCAL_OCR_WORKERS must be at least 1 for a worker\n');
    return 2;
  }
  const { startQueueWorker } = await import('./providers/local/queue-worker.ts');
  let worker;
  try {
    worker = await startQueueWorker({
      url: config.redis.url,
      prefix: config.redis.prefix,
      keys: config.redis.keys,
      poolSize: config.local.workers,
      lockMs: config.ocrQueue.lockMs,
      log: (line) => out(`${line}\n`),
    });
  } catch (error) {
    err(`ktp-gateway worker: the OCR engine did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 5;
  }
  if (stop && !stop.aborted) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
  out(`ktp-gateway worker: stopping after ${worker.completed} job(s); finishing the ones in hand\n`);
  await worker.close();
  return 0;
}

/** package.json's version: one directory up from src/ and from dist/ alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Why a file could not be read, in words, for the common reasons. */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? (error instanceof Error ? error.message : String(error));
}

function describe(answer: Result): string {
  if (answer.__typename === 'OcrError') return `${answer.code}: ${answer.message}\n`;
  const lines: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      if (Array.isArray(value)) value = value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : item)).join(', ');
      if (value !== null && value !== '') lines.push(`${prefix.padEnd(28)} ${String(value)}`);
      return;
    }
    for (const [key, inner] of Object.entries(value)) if (key !== '__typename') walk(inner, prefix ? `${prefix}.${key}` : key);
  };
  walk(answer, '');
  return `${lines.join('\n')}\n`;
}
