/**
 * Composes a supergraph from ktp-gateway's subgraph and yours, for Hive Gateway's
 * `supergraph: './supergraph.graphql'`:
 *
 *   npm run supergraph -- ktp=http://ktp-gateway:4000/subgraph users=http://users:4001/graphql
 *
 * Each subgraph's SDL is what it serves as `{ _service { sdl } }` (ktp-gateway serves it on
 * `SUBGRAPH_PATH`, never on `/graphql`); composition is The Guild's, as Hive's schema registry
 * does it. Writes `supergraph.graphql` in the current folder (or `--out=<file>`).
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface Subgraph {
  /** The name the gateway's `transportEntries` use (ktp-gateway's recipe calls it `ktp`). */
  name: string;
  url: string;
}

/** A subgraph's SDL as it serves it: `{ _service { sdl } }`. */
export async function fetchSubgraphSdl(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`no subgraph SDL from ${url} (HTTP ${response.status}): ${body.errors?.[0]?.message ?? 'no _service'}`);
  return sdl;
}

/** Composes SDLs already fetched; throws with every composition error. */
export function composeSupergraph(subgraphs: (Subgraph & { sdl: string })[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors?.length) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl!;
}

/** Fetches every subgraph's SDL, composes them, writes the supergraph to `out`, and returns it. */
export async function writeSupergraph(subgraphs: Subgraph[], out = 'supergraph.graphql'): Promise<string> {
  const withSdl = await Promise.all(subgraphs.map(async (s) => ({ ...s, sdl: await fetchSubgraphSdl(s.url) })));
  const supergraph = composeSupergraph(withSdl);
  await writeFile(out, supergraph);
  return supergraph;
}

/** `name=url` arguments and an optional `--out=<file>`; a malformed one is refused by name. */
export function parseArguments(args: string[]): { subgraphs: Subgraph[]; out?: string } {
  const subgraphs: Subgraph[] = [];
  let out: string | undefined;
  for (const arg of args) {
    if (arg.startsWith('--out=')) {
      out = arg.slice('--out='.length);
      continue;
    }
    const match = /^([A-Za-z_][\w-]*)=(https?:\/\/\S+)$/.exec(arg);
    if (!match) throw new Error(`not a subgraph: ${JSON.stringify(arg)} (expected name=http://host:port/path)`);
    subgraphs.push({ name: match[1]!, url: match[2]! });
  }
  if (subgraphs.length === 0) throw new Error('no subgraphs given (expected name=http://host:port/path ...)');
  return out === undefined ? { subgraphs } : { subgraphs, out };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { subgraphs, out } = parseArguments(process.argv.slice(2));
    await writeSupergraph(subgraphs, out);
    console.log(`wrote ${out ?? 'supergraph.graphql'} from ${subgraphs.map((s) => s.name).join(', ')}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
