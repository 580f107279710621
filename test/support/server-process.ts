import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectStreams } from './log-collector.ts';

/**
 * `npm start`'s code, for real: a child process running src/server.ts with the environment given
 * (and none of ours that configure the gateway inherited), on a free loopback port. Its stdout and
 * stderr go to the log collector, so a suite can check that nothing personal was logged.
 */
export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code; SIGKILL if it has not exited after `graceMs` (default 10 s). */
  stop(graceMs?: number): Promise<number | null>;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SERVER_SCRIPT = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
/** Our own settings in the test runner's environment must not leak into the server under test. */
const GATEWAY_SETTINGS = /^(KTP_|EKYCPRO_|REST_API_KEYS|CACHE_|MAX_|REDIS_|OCR_|LOCAL_OCR_|GRAPHIQL|NODE_ENV|PORT$|HOST$|SHUTDOWN_)/;
const LISTENING = /http:\/\/localhost:(\d+)\/graphql/;

export async function startServerProcess(env: Record<string, string>, label = 'server'): Promise<ServerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GATEWAY_SETTINGS.test(name)));
  const child = spawn(process.execPath, ['--import', tsx, SERVER_SCRIPT], {
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collectStreams(label, child);
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  child.stderr!.on('data', (data) => (output += data));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // The line announcing the port is printed once the socket listens.
  while (!LISTENING.test(output)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const port = LISTENING.exec(output)![1];
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    exited,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
