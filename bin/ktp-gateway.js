#!/usr/bin/env node
// The package's command. The sources are TypeScript run through tsx (no build step), so the
// loader is registered before the CLI module is imported.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
// `ktp-gateway worker` runs until it is told to stop; the signals are turned into one AbortSignal here.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());
process.exitCode = await runCli(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text), { stop: stop.signal });
