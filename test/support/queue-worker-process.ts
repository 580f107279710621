/**
 * A real `ktp-gateway worker` process for the queue tests, with the engine's worker thread swapped
 * for test/support/fake-ocr-worker.mjs (seconds of model loading and reading would make stalled-job
 * tests slow, not truer). Everything else is the production path: config from the environment,
 * BullMQ, Redis, locks, stalled-job recovery. The real engine has its own test through the CLI.
 */
import { loadConfig } from '../../src/config.ts';
import { startQueueWorker } from '../../src/providers/local/queue-worker.ts';

const config = loadConfig();
const worker = await startQueueWorker({
  url: config.redis.url!,
  prefix: config.redis.prefix,
  keys: config.redis.keys!,
  poolSize: config.local.workers ?? 1,
  lockMs: config.ocrQueue.lockMs,
  workerUrl: new URL('./fake-ocr-worker.mjs', import.meta.url),
  log: (line) => console.log(line),
});
process.once('SIGTERM', () => {
  worker.close().then(() => process.exit(0));
});
