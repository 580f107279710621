/**
 * Part of `npm run bench`: Hive Gateway's overhead on a cache hit, measured side by side in one
 * run. The same 200 KB multipart upload, already cached, sent straight to ktp-gateway's `/graphql`
 * and through Hive Gateway (its own process, the README's recipe: multipart on, CSRF header to
 * the subgraph) in front of the same server's subgraph path, composed with a second subgraph.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSupergraph, fetchSubgraphSdl, startUsersSubgraph } from '../test/ecosystem/support/supergraph.ts';

export interface SupergraphBenchOptions {
  /** ktp-gateway's origin, serving `/graphql` and the subgraph on `/subgraph`. */
  origin: string;
  /** Builds the request sender for one endpoint: the same body every time. */
  uploader(endpoint: string): Promise<() => Promise<Response>>;
  timed(call: () => Promise<Response>): Promise<number>;
  rounds: number;
}

export interface SupergraphFigures {
  direct: number[];
  viaHive: number[];
}

export async function benchSupergraph({ origin, uploader, timed, rounds }: SupergraphBenchOptions): Promise<SupergraphFigures> {
  const users = await startUsersSubgraph();
  const folder = mkdtempSync(join(tmpdir(), 'ktp-bench-'));
  const supergraphFile = join(folder, 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    composeSupergraph([
      { name: 'ktp', url: `${origin}/subgraph`, sdl: await fetchSubgraphSdl(`${origin}/subgraph`) },
      { name: 'users', url: users.url, sdl: await fetchSubgraphSdl(users.url) },
    ]),
  );
  const hive = spawn(process.execPath, ['--import', 'tsx', 'bench/hive-gateway-process.ts', supergraphFile], {
    env: { ...process.env, NODE_ENV: 'production', ALLOW_ANONYMOUS: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(hive.stdout!, 'data')) as [Buffer];
    const hiveUrl = line.toString().trim();

    const direct = await uploader(`${origin}/graphql`);
    const viaHive = await uploader(hiveUrl);
    for (const call of [direct, viaHive]) {
      const answer = (await (await call()).json()) as { data?: { recognizeKtp?: { cached?: boolean } } };
      if (answer.data?.recognizeKtp?.cached !== true) throw new Error(`expected a cache hit, got ${JSON.stringify(answer)}`);
    }
    for (let i = 0; i < 50; i++) {
      await timed(direct);
      await timed(viaHive);
    }
    const figures: SupergraphFigures = { direct: [], viaHive: [] };
    // Interleaved, so that machine noise hits both alike.
    for (let i = 0; i < rounds; i++) {
      figures.direct.push(await timed(direct));
      figures.viaHive.push(await timed(viaHive));
    }
    return figures;
  } finally {
    hive.kill('SIGTERM');
    await once(hive, 'exit');
    await users.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
