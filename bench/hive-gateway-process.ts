/**
 * Hive Gateway in its own process for `npm run bench`, configured exactly as the tests' recipe
 * (test/ecosystem/support/supergraph.ts): reads the supergraph SDL from the file named by argv[2],
 * prints its URL once it listens, stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { startHiveGateway } from '../test/ecosystem/support/supergraph.ts';

const hive = await startHiveGateway(readFileSync(process.argv[2]!, 'utf8'));
console.log(hive.url);
process.on('SIGTERM', () => {
  hive.close().finally(() => process.exit(0));
});
