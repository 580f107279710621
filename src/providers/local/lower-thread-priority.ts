import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice 10: the OCR still gets every core the event loop leaves idle, but waits when it wakes. */
const OCR_NICENESS = 10;

/**
 * Lowers the scheduling priority of the calling thread only. On Linux a thread is a task with its
 * own nice value, and setpriority() on a thread id changes just that thread (setpriority(2),
 * NOTES); threads it creates later (onnxruntime's, libvips') inherit it. With the OCR workers
 * keeping every core busy, the event loop thread then wins the CPU as soon as a request arrives:
 * `{ __typename }` and cache hits stay fast under load. Elsewhere (no /proc/thread-self), or when
 * refused, this does nothing: a slower event loop under load, not a failure.
 */
export function lowerThisThreadsPriority(): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, OCR_NICENESS);
    return true;
  } catch {
    return false;
  }
}
