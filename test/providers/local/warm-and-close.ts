/**
 * Run by provider.spec.ts in a child process, because the failure it guards against kills the
 * process: onnxruntime-node aborts when a worker is terminated mid-inference. Overruns a job
 * timeout, recognises again on the replacement worker, closes while a job runs, and prints what
 * happened (never any field). If close() left a worker or a timer behind, it would never exit.
 */
import { readFile } from 'node:fs/promises';
import { createLocalProvider } from '../../../src/providers/local/index.ts';

const bytes = new Uint8Array(await readFile(new URL('../../fixtures/cards/ktp-09001/w640.jpg', import.meta.url)));
const image = { format: 'jpeg' as const, byteLength: bytes.byteLength };
const provider = createLocalProvider({ poolSize: 1, jobTimeoutMs: 300 });
await provider.warmUp();
const report: string[] = [provider.isReady() ? 'warm' : 'cold'];
const overrun = await provider.recognize(bytes, image);
report.push(overrun.kind === 'error' && overrun.message.includes('too long') ? 'timeout' : 'no-timeout');
const inFlight = provider.recognize(bytes, image);
await new Promise((resolve) => setTimeout(resolve, 100));
await provider.close();
const closed = await inFlight;
report.push(closed.kind === 'error' && closed.retryable ? 'answered' : 'unanswered');
report.push(provider.isReady() ? 'open' : 'closed');
process.stdout.write(`${report.join(' ')}\n`);
