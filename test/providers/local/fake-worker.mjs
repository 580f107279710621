// A stand-in for the OCR worker that speaks its protocol (src/providers/local/protocol.ts) with
// no models, so the pool's queueing, aborts, crashes and timeouts are tested in milliseconds.
// The first byte of a job says what to do: 'c' crash, 'h' hang, 'e' answer how many bytes it got,
// anything else sleep bytes[1] * 10 ms. Every answer carries the number of jobs this worker started.
import { parentPort } from 'node:worker_threads';

let started = 0;
parentPort.postMessage({ type: 'ready', loadMs: 0 });
parentPort.on('message', (job) => {
  started++;
  const bytes = new Uint8Array(job.bytes);
  const op = String.fromCharCode(bytes[0] ?? 0);
  if (op === 'c') throw new Error('engine crashed');
  if (op === 'h') return;
  if (op === 'e') return parentPort.postMessage({ type: 'done', id: job.id, result: { kind: 'failed', message: `bytes ${bytes.length}` } });
  setTimeout(() => {
    parentPort.postMessage({ type: 'done', id: job.id, result: { kind: 'failed', message: `job ${started}` } });
  }, (bytes[1] ?? 0) * 10);
});
