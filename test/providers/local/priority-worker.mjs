// Reports this worker thread's nice value before and after lowerThisThreadsPriority().
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { lowerThisThreadsPriority } = await tsImport('../../../src/providers/local/lower-thread-priority.ts', import.meta.url);
const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
const before = getPriority(threadId);
const lowered = lowerThisThreadsPriority();
parentPort.postMessage({ before, lowered, after: getPriority(threadId) });
