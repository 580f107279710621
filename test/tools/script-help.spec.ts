import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRedis, rawClient, startOwnRedis, type OwnRedis } from '../support/redis.ts';

/**
 * Every `npm run` script that takes knobs answers `--help` with its usage and exits 0, and does
 * nothing else: no server, no file, no Redis. The Redis the scripts are pointed at is a private,
 * empty redis-server; after every --help it has received no connection but ours and holds no key.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPTS = ['bench', 'bench:cluster', 'bench:accuracy', 'bench:busy', 'bench:abuse', 'bench:load', 'bench:slow-upstream', 'cluster', 'cards', 'record:pages', 'mutants', 'build'];

let redis: OwnRedis;
let client: Redis;
let connectionsBefore: number;
let treeBefore: string;
const connectionsReceived = async () => Number(/total_connections_received:(\d+)/.exec(await client.info('stats'))![1]);
const tree = () => spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' }).stdout;

beforeAll(async () => {
  redis = await startOwnRedis();
  client = rawClient(redis.url);
  connectionsBefore = await connectionsReceived();
  treeBefore = tree();
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

function npmRun(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Every Redis setting the scripts read points at the private server.
    const env = { ...process.env, REDIS_URL: redis.url, BENCH_REDIS_URL: redis.url, REDIS_TEST_URL: redis.url };
    execFile('npm', ['run', '--silent', script, '--', '--help'], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describeRedis('npm run <script> -- --help', () => {
  it.each(SCRIPTS)('%s: prints its usage and exits 0', async (script) => {
    const run = await npmRun(script);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: npm run ${script}\\b`, 'm'));
  }, 90_000);

  it('touched nothing: no connection reached the Redis, no key, no file changed or written', async () => {
    expect(await connectionsReceived()).toBe(connectionsBefore);
    expect(await client.dbsize()).toBe(0);
    expect(tree()).toBe(treeBefore);
  });
});
