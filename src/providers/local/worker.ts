/**
 * An OCR worker thread: loads the PP-OCR models once, then answers jobs one at a time.
 * Runs the whole CPU-bound path (recognise-image.ts: decode, card finding, detection, recognition, card reading)
 * so the main thread's event loop only ever moves messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModels, type Models } from './engine/models.ts';
import { lowerThisThreadsPriority } from './lower-thread-priority.ts';
import type { FromWorker, JobResult, ToWorker, WorkerConfig } from './protocol.ts';
import { recogniseImage } from './recognise-image.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const config = workerData as WorkerConfig;

function send(message: FromWorker): void {
  port!.postMessage(message);
}

async function runJob(models: Models, job: ToWorker): Promise<JobResult> {
  return (await recogniseImage(models, new Uint8Array(job.bytes), job.format)).result;
}

// Before the models load, so that onnxruntime's threads inherit the lower priority too.
lowerThisThreadsPriority();

const started = performance.now();
let models: Models;
try {
  models = await loadModels({ threads: config.threads });
} catch (error) {
  send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
  // Nothing useful can run here; the pool decides whether to try again.
  process.exit(1);
}
send({ type: 'ready', loadMs: performance.now() - started });

// Jobs arrive one at a time (the pool never sends a second before the first is done), so a
// plain handler is enough; errors become a 'failed' answer, never an unhandled rejection.
port.on('message', (job: ToWorker) => {
  runJob(models, job).then(
    (result) => send({ type: 'done', id: job.id, result }),
    (error: unknown) => {
      // The message is the engine's, never the image's content.
      send({ type: 'done', id: job.id, result: { kind: 'failed', message: error instanceof Error ? error.message : String(error) } });
    },
  );
});
