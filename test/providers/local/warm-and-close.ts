/**
 * Run by close-in-flight.spec.ts in a child process, because the failure it guards against kills the
 * process: onnxruntime-node aborts when a worker is terminated mid-inference. Overruns a job
 * timeout, recognises again on the replacement worker, closes while a job runs, and prints what
 * happened (never any field). If close() left a worker or a timer behind, it would never exit.
 */
import { readFile } from 'node:fs/promises';
import { createLocalProvider } from '../../../src/providers/local/index.ts';

const bytes = new Uint8Array(await readFile(new URL('../../fixtures/cards/ktp-09001/w640.jpg', import.meta.url)));
const image = { format: 'jpeg' as const, byteLength: bytes.byteLength };
// A 1 ms job timeout: no read of a card finishes that fast on any host, so the overrun does not
// depend on how fast this machine is.
const hurried = createLocalProvider({ poolSize: 1, jobTimeoutMs: 1 });
await hurried.warmUp();
const report: string[] = [hurried.isReady() ? 'warm' : 'cold'];
const overrun = await hurried.recognize(bytes, image);
report.push(overrun.kind === 'error' && overrun.message.includes('too long') ? 'timeout' : 'no-timeout');
await hurried.close();
// Closed while a read runs: the job is handed to the worker on this turn, and a read takes far
// longer than the turn of the event loop before close() (no duration is assumed).
const provider = createLocalProvider({ poolSize: 1 });
await provider.warmUp();
const inFlight = provider.recognize(bytes, image);
await new Promise((resolve) => setImmediate(resolve));
await provider.close();
const closed = await inFlight;
report.push(closed.kind === 'error' && closed.retryable ? 'answered' : 'unanswered');
report.push(provider.isReady() ? 'open' : 'closed');
process.stdout.write(`${report.join(' ')}\n`);
