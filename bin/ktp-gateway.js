#!/usr/bin/env node
// The package's command. From a checkout (tsx installed, a devDependency) it runs the TypeScript
// sources, so it is never older than they are; where only production dependencies are installed
// it runs what `npm run build` compiled to dist/.
let runCli;
try {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli.ts'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'tsx'")) throw error;
  ({ runCli } = await import('../dist/cli.js'));
}
// `ktp-gateway worker` runs until it is told to stop; the signals are turned into one AbortSignal here.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text), { stop: stop.signal });
