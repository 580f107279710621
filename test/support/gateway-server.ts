import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { loadConfig, type GatewayConfig } from '../../src/config.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.ts';
import { createNodeServer } from '../../src/http/node-server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createEkycproProvider, type EkycproProviderOptions } from '../../src/providers/ekycpro/index.ts';
import type { KtpProvider } from '../../src/providers/provider.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from './fake-ekycpro.ts';

/**
 * The gateway as it runs in production, on a real loopback socket, with the fake paid API behind
 * it. Every test that talks HTTP goes through `request` (or `assertNoSecret` for other clients), which
 * checks that the API key never shows up in what the gateway answers.
 */
export interface GatewayServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/graphql` */
  graphqlUrl: string;
  fake: FakeEkycpro;
  gateway: Gateway;
  server: Server;
  /** Every JSON line the gateway logged (pino), kept here rather than printed, for tests to read. */
  logs: string[];
  /** Resolves once `count` provider recognitions have settled. */
  waitForSettled(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayServerOptions {
  /** Environment for `loadConfig`, e.g. `{ MAX_REQUEST_BYTES: '65536' }`. */
  env?: Record<string, string>;
  config?: Partial<GatewayConfig>;
  provider?: Partial<EkycproProviderOptions>;
  /** Share a fake between servers; otherwise each server starts (and closes) its own. */
  fake?: FakeEkycpro;
  /** Shared memory (a Redis cache, lease coalescing, persisted queries, their /readyz part, usage); default the process's own. */
  shared?: Pick<GatewayOptions, 'cache' | 'coalescer' | 'persistedQueries' | 'readiness' | 'usage'>;
}

/**
 * Fast backoff so retries take milliseconds. The wait is generous enough for a loaded machine;
 * tests of a hang pass their own short settle limit (200 ms), tests of a slow upstream a short wait.
 */
const TEST_PROVIDER_OPTIONS = { timeoutMs: 2_000, retries: 2, backoffMs: () => 1 } satisfies Partial<EkycproProviderOptions>;

/** The settle limit (the bound on one exchange) for tests where the upstream hangs: shorter than a request's wait, so the call itself gives up. */
export const HANG_TIMEOUT_MS = 200;

export async function startGatewayServer(options: GatewayServerOptions = {}): Promise<GatewayServer> {
  const ownFake = !options.fake;
  const fake = options.fake ?? (await startFakeEkycpro());
  const config = { ...loadConfig({ KTP_PROVIDER: 'ekycpro', ...options.env }), ...options.config };
  const ekycpro = createEkycproProvider({
    url: fake.url,
    apiKey: FAKE_API_KEY,
    maxConcurrency: config.ekycpro.maxConcurrency,
    maxQueue: config.ekycpro.maxQueue,
    ...TEST_PROVIDER_OPTIONS,
    ...options.provider,
  });

  let settled = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const provider: KtpProvider = {
    name: ekycpro.name,
    paid: true,
    ...(ekycpro.answerWithinMs === undefined ? {} : { answerWithinMs: ekycpro.answerWithinMs }),
    ...(ekycpro.onEvent ? { onEvent: ekycpro.onEvent } : {}),
    isReady: () => ekycpro.isReady?.() ?? true,
    async recognize(bytes, image, signal) {
      try {
        return await ekycpro.recognize(bytes, image, signal);
      } finally {
        settled++;
        for (const waiter of waiters.filter((w) => settled >= w.count)) waiter.resolve();
      }
    },
  };

  const logs: string[] = [];
  const logger = createLogger({ level: config.observability.logLevel, destination: { write: (line: string) => void logs.push(line) } });
  const gateway = createGateway({ config, provider, logger, ...options.shared });
  // The production server, with its timeouts and connection cap from `config.server`.
  const { server } = createNodeServer(gateway.handler, config.server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    fake,
    gateway,
    server,
    logs,
    waitForSettled: (count) => (settled >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      if (ownFake) await fake.close();
    },
  };
}

/** Fails the test if the upstream API key appears anywhere in `text`. */
export function assertNoSecret(text: string, where = 'response'): void {
  expect(text, `the API key leaked into a ${where}`).not.toContain(FAKE_API_KEY);
}

export interface GatewayResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: GraphQLBody | undefined;
}

export interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** `fetch`, reading the whole answer and checking it for the key. */
export async function request(url: string, init: RequestInit = {}): Promise<GatewayResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  assertResponseClean(text, response.headers);
  let json: GraphQLBody | undefined;
  try {
    json = JSON.parse(text) as GraphQLBody;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A `fetch` for GraphQL client libraries that checks every answer for the key. */
export const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  assertResponseClean(await response.clone().text(), response.headers);
  return response;
};

/** Neither the body nor any header of an answer may carry the key. */
function assertResponseClean(body: string, headers: Headers): void {
  assertNoSecret(body);
  assertNoSecret(JSON.stringify([...headers]), 'response header');
}
