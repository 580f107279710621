import { Worker } from 'node:worker_threads';
import type { ImageFormat, ProviderEvent } from '../provider.ts';
import { FairQueue } from './fair-queue.ts';
import type { FromWorker, JobResult, ToWorker, WorkerConfig } from './protocol.ts';

/** Why a job got no result from the engine. */
export type PoolRefusal =
  | { kind: 'busy' }
  | { kind: 'aborted' }
  | { kind: 'closed' }
  | { kind: 'timeout' }
  | { kind: 'crashed' }
  | { kind: 'unavailable'; message: string };

export type PoolAnswer = JobResult | PoolRefusal;

export interface PoolOptions {
  size: number;
  threadsPerWorker: number;
  maxQueue: number;
  jobTimeoutMs: number;
  /**
   * How long close() waits for workers still inside onnxruntime before it gives up on them.
   * Default: the job timeout plus 30 s, so a job that was merely slow always gets to finish (and
   * the process exits cleanly); only a wedged engine is left behind.
   */
  closeGraceMs?: number;
  workerUrl: URL;
  /** Queue depth, job durations and worker restarts, for metrics. Default: none. */
  onEvent?: (event: ProviderEvent) => void;
}

interface Job {
  id: number;
  /** Whose job it is: the fair queue serves clients in turn. */
  lane: string;
  /** When a worker took it (performance.now()), for its duration. */
  startedAt?: number;
  bytes: Uint8Array;
  format: ImageFormat;
  settle: (answer: PoolAnswer) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /**
   * Set when the slot must go (its job overran, or the pool is closing) while the engine may
   * still be inside onnxruntime. It gets no more jobs and is terminated once it reports done.
   */
  retiring: boolean;
  /**
   * Whether the worker may be inside onnxruntime: while loading its models, and from dispatch
   * until its 'done' message.
   */
  engineBusy: boolean;
  /** Resolves when the worker's models are loaded, rejects when it died first. */
  warm: Promise<void>;
  /** Rejects `warm`; close() calls it so that a warmUp() in progress does not wait forever. */
  abandon: (error: Error) => void;
  /** Resolves once the thread has stopped. */
  exited: Promise<void>;
}

/** A worker that dies while loading is retried this many times in a row before the pool gives up. */
const MAX_CONSECUTIVE_LOAD_FAILURES = 3;

/**
 * A fixed set of OCR worker threads with a bounded FIFO queue in front. At most one job runs
 * per worker (the engine is CPU-bound: a second job would only slow the first). A job whose
 * worker crashes or overruns the deadline is answered at once; the worker is replaced when it
 * exits (a crash) or when its run ends (an overrun: see #retire for why not sooner).
 */
export class WorkerPool {
  readonly #options: PoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue = new FairQueue<Job>();
  #nextId = 1;
  #closed = false;
  #loadFailures = 0;
  #fatal: string | null = null;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Every worker has loaded its models (and the pool is open). */
  get ready(): boolean {
    return !this.#closed && this.#slots.length === this.#options.size && this.#slots.every((s) => s.ready);
  }

  /**
   * Starts the workers (once) and resolves when all of them are warm. A worker that dies while
   * loading is replaced and waited for; rejects when the pool gives up or is closed.
   */
  async start(): Promise<void> {
    while (this.#slots.length < this.#options.size && !this.#closed && this.#fatal === null) this.#spawn();
    for (;;) {
      if (this.#closed) throw new Error('the OCR engine is closed');
      if (this.#fatal !== null) throw new Error(this.#fatal);
      if (this.ready) return;
      // Rejections settle only in the 'exit' handler, after the replacement exists, so this
      // loop always waits on live workers (and yields to the event loop between rounds). A
      // retiring worker is waited for until it exits and its replacement is spawned.
      await Promise.allSettled(this.#slots.map((s) => (s.retiring ? s.exited : s.warm)));
    }
  }

  /**
   * Queues a job. Settles with the worker's result or the reason there is none; never rejects.
   * If `signal` aborts while the job still waits, it leaves the queue and settles as aborted;
   * once running it runs to the end (onnxruntime cannot be interrupted, and the answer may be cached).
   */
  run(bytes: Uint8Array, format: ImageFormat, signal?: AbortSignal, lane = ''): Promise<PoolAnswer> {
    if (this.#closed) return Promise.resolve({ kind: 'closed' });
    if (this.#fatal !== null) return Promise.resolve({ kind: 'unavailable', message: this.#fatal });
    if (signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    if (this.#slots.length === 0) {
      // The first request warms the engine if nobody called warmUp(); it waits in the queue.
      this.start().catch(() => {});
    }
    const idle = this.#slots.find((s) => s.ready && s.job === null);
    if (idle === undefined && this.#queue.length >= this.#options.maxQueue) return Promise.resolve({ kind: 'busy' });

    return new Promise<PoolAnswer>((resolve) => {
      const onAbort = () => {
        // Already dispatched: it runs to the end and settles normally.
        if (!this.#queue.remove(job)) return;
        this.#depthChanged();
        job.settle({ kind: 'aborted' });
      };
      const job: Job = {
        id: this.#nextId++,
        lane,
        bytes,
        format,
        settle: (answer) => {
          // Released on every path (done, aborted, crashed, closed) so a long-lived signal, such as
          // a server's shutdown signal shared by many requests, does not collect listeners.
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(lane, job);
      this.#depthChanged();
      this.#pump();
    });
  }

  /**
   * Answers everything still waiting or running, then stops every worker. Idle workers are
   * terminated at once; a worker inside onnxruntime is left to finish its run first (see
   * #retire), so close() may take up to a card's time. After `closeGraceMs` it stops waiting
   * and unrefs what is left, so a wedged engine cannot hold the process open.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const job of this.#queue.drain()) job.settle({ kind: 'closed' });
    const slots = [...this.#slots];
    for (const slot of slots) {
      this.#finish(slot, { kind: 'closed' });
      slot.abandon(new Error('the OCR engine is closed'));
      this.#retire(slot);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.closeGraceMs ?? this.#options.jobTimeoutMs + 30_000)));
    try {
      await Promise.race([Promise.all(slots.map((slot) => slot.exited)), deadline]);
    } finally {
      // Cleared on every path: a pending deadline would keep an otherwise finished process alive.
      clearTimeout(timer);
    }
    for (const slot of this.#slots) slot.worker.unref();
  }

  #spawn(): Slot {
    const config: WorkerConfig = { threads: this.#options.threadsPerWorker };
    // execArgv []: the parent's flags (tsx's own loader, inspector ports) must not be inherited;
    // worker-entry.mjs registers what the worker needs.
    const worker = new Worker(this.#options.workerUrl, { workerData: config, execArgv: [] });
    let markWarm!: () => void;
    let markFailed!: (error: Error) => void;
    const warm = new Promise<void>((resolve, reject) => {
      markWarm = resolve;
      markFailed = reject;
    });
    // start() callers handle the rejection; this keeps a crash nobody awaited from becoming unhandled.
    warm.catch(() => {});
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const slot: Slot = {
      worker,
      ready: false,
      job: null,
      timer: null,
      retiring: false,
      engineBusy: true,
      warm,
      abandon: (error) => markFailed(error),
      exited,
    };
    this.#slots.push(slot);
    let loadError = 'the worker exited while loading its models';

    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.engineBusy = false;
        slot.ready = !slot.retiring;
        this.#loadFailures = 0;
        markWarm();
        if (slot.retiring) this.#retire(slot);
        else this.#pump();
      } else if (message.type === 'load-failed') {
        slot.engineBusy = false;
        // The worker exits next; the 'exit' handler counts the failure and replaces it.
        loadError = message.message;
      } else if (message.type === 'done') {
        slot.engineBusy = false;
        if (slot.retiring) {
          // Its job was already answered (timeout or close); now it is safe to stop.
          this.#retire(slot);
          return;
        }
        if (slot.job?.id === message.id) this.#finish(slot, message.result);
        this.#pump();
      }
    });
    worker.on('error', () => {
      // 'exit' follows every 'error'; replacing happens there, once.
    });
    worker.on('exit', () => {
      markExited();
      const at = this.#slots.indexOf(slot);
      if (at !== -1) this.#slots.splice(at, 1);
      slot.engineBusy = false;
      this.#finish(slot, { kind: this.#closed ? 'closed' : 'crashed' });
      const wasReady = slot.ready;
      slot.ready = false;
      if (this.#closed || slot.retiring) {
        // A retired slot is replaced here rather than at retirement, so that a slow engine is
        // never joined by an extra worker competing for the same cores.
        this.#replace();
        return;
      }
      if (!wasReady) this.#loadFailures++;
      this.#replace();
      // After #replace, so that start() finds the replacement when it wakes up.
      if (!wasReady) markFailed(new Error(`an OCR worker failed to start: ${loadError}`));
    });
    return slot;
  }

  /**
   * Takes a slot out of service and stops its worker as soon as that is safe. onnxruntime-node
   * aborts the whole process (a C++ Napi::Error escaping to std::terminate) when a worker is
   * terminated while a session.run is in flight, so a worker that may be inside the engine is
   * only terminated after it reports its job done. A truly wedged engine thus keeps its thread;
   * that costs a core, where terminating it would cost the server.
   */
  #retire(slot: Slot): void {
    slot.retiring = true;
    slot.ready = false;
    if (slot.engineBusy) return;
    void slot.worker.terminate();
  }

  /** Starts a worker in place of one that exited, unless workers keep dying before they are even warm. */
  #replace(): void {
    if (this.#closed) return;
    if (this.#loadFailures >= MAX_CONSECUTIVE_LOAD_FAILURES) {
      this.#fatal = 'the OCR engine cannot start (its models failed to load)';
      for (const job of this.#queue.drain()) job.settle({ kind: 'unavailable', message: this.#fatal });
      return;
    }
    this.#options.onEvent?.({ type: 'worker-restart' });
    this.#spawn();
  }

  #depthChanged(): void {
    this.#options.onEvent?.({ type: 'queue-depth', depth: this.#queue.length });
  }

  #finish(slot: Slot, answer: PoolAnswer): void {
    if (slot.timer !== null) {
      // The job is over one way or another; a stale deadline must not kill the next job's worker.
      clearTimeout(slot.timer);
      slot.timer = null;
    }
    const job = slot.job;
    slot.job = null;
    if (job?.startedAt !== undefined) this.#options.onEvent?.({ type: 'job', seconds: (performance.now() - job.startedAt) / 1000, result: answer.kind });
    job?.settle(answer);
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.retiring || slot.job !== null) continue;
      const job = this.#queue.shift()!;
      this.#depthChanged();
      job.startedAt = performance.now();
      slot.job = job;
      slot.engineBusy = true;
      slot.timer = setTimeout(() => {
        slot.timer = null;
        // The client gets its answer now; the worker is replaced once its run ends (see #retire).
        this.#finish(slot, { kind: 'timeout' });
        this.#retire(slot);
      }, this.#options.jobTimeoutMs);
      // A copy, transferred: the caller keeps its bytes (they are hashed and maybe retried).
      // Not `bytes.slice()`: on a Node Buffer (an upload cut out of the request body) that is a
      // view, and its `.buffer` the whole body, multipart framing and all.
      const copy = new Uint8Array(job.bytes).buffer;
      const message: ToWorker = { type: 'job', id: job.id, bytes: copy, format: job.format };
      slot.worker.postMessage(message, [copy]);
    }
  }
}
