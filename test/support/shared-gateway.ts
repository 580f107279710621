import { createRedisUsageLedger } from '../../src/access/redis-usage-ledger.ts';
import type { KeyRing } from '../../src/recognition/key-ring.ts';
import { createSharedMemory, type SharedMemory, type SharedMemoryEvent } from '../../src/recognition/shared-memory.ts';
import type { FakeEkycpro } from './fake-ekycpro.ts';
import { startGatewayServer, type GatewayServer } from './gateway-server.ts';

/** A gateway replica as `server.ts` builds it with REDIS_URL: its own connections, the shared Redis. */
export interface Replica extends GatewayServer {
  shared: SharedMemory;
  events: SharedMemoryEvent[];
  /** The shared memory's own lines (sharing on/off); the gateway's JSON lines stay in `gatewayLogs`. */
  logs: string[];
  gatewayLogs: string[];
}

export async function startReplica(options: {
  url: string;
  prefix: string;
  keys: KeyRing;
  fake: FakeEkycpro;
  failClosed?: boolean;
  waitMs?: number;
  leaseMs?: number;
  /** `ktpUsage` counted in the shared Redis, as `server.ts` does; its log lines join `logs`. Default off. */
  countUsage?: boolean;
  /** Environment for `loadConfig`, e.g. `API_KEYS_FILE`. */
  env?: Record<string, string>;
}): Promise<Replica> {
  const logs: string[] = [];
  const events: SharedMemoryEvent[] = [];
  const shared = createSharedMemory({
    redis: { url: options.url, prefix: options.prefix, keys: options.keys, maxValueBytes: 65_536, leaseMs: options.leaseMs ?? 10_000, waitMs: options.waitMs ?? 10_000 },
    cache: { maxBytes: 1024 * 1024, ttlSeconds: 600 },
    failClosed: options.failClosed ?? false,
    log: (line) => logs.push(line),
  });
  shared.onEvent((event) => events.push(event));
  const server = await startGatewayServer({
    fake: options.fake,
    env: options.env,
    provider: { timeoutMs: 5_000 },
    shared: {
      cache: shared.cache,
      coalescer: shared.coalescer,
      persistedQueries: shared.persistedQueries,
      readiness: [shared.readiness],
      usage: options.countUsage ? createRedisUsageLedger({ client: shared.link.client, prefix: options.prefix, log: (line) => logs.push(line) }) : undefined,
    },
  });
  return {
    ...server,
    shared,
    events,
    logs,
    gatewayLogs: server.logs,
    close: async () => {
      await server.close();
      await shared.close();
    },
  };
}
