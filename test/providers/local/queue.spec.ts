import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createGateway } from '../../../src/gateway.ts';
import type { ProviderOutcome } from '../../../src/outcome.ts';
import { createQueuedLocalProvider, type QueuedLocalProvider } from '../../../src/providers/local/queue.ts';
import { parseKeyRing } from '../../../src/recognition/key-ring.ts';
import { testPng } from '../../support/images.ts';
import { cleanup, describeRedis, keysUnder, rawClient, REDIS_TEST_URL, uniquePrefix } from '../../support/redis.ts';

const root = new URL('../../../', import.meta.url);

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Jobs this process started and finished reading. */
  starts(): number;
  reads(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The OCR fleet: real worker processes on BullMQ and Redis (the engine thread inside them is the
 * fake one, see queue-worker-process.ts), and gateways that only enqueue.
 */
describeRedis('OCR_QUEUE=redis: gateways enqueue, worker processes read', () => {
  const prefix = uniquePrefix('queue');
  const keyText = randomBytes(32).toString('hex');
  const keys = parseKeyRing(keyText);
  let workers: WorkerProcess[] = [];
  let providers: QueuedLocalProvider[] = [];
  let seed = 9500;

  async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/queue-worker-process.ts'], {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: REDIS_TEST_URL,
        REDIS_PREFIX: prefix,
        CACHE_ENCRYPTION_KEY: keyText,
        OCR_QUEUE: 'redis',
        LOCAL_OCR_WORKERS: '1',
        OCR_QUEUE_LOCK_MS: '1000',
        FAKE_OCR_MS: '50',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.includes('reading queue')) ready();
      }
    });
    const exited = once(child, 'exit');
    await Promise.race([started, exited.then(() => Promise.reject(new Error(`worker exited early: ${lines.join('\n')}`)))]);
    const worker: WorkerProcess = {
      child,
      pid: child.pid!,
      lines,
      starts: () => lines.filter((l) => l.startsWith('fake-ocr: start')).length,
      reads: () => lines.filter((l) => l.startsWith('fake-ocr: read')).length,
      kill: async (signal) => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill(signal);
          await exited;
        }
      },
    };
    workers.push(worker);
    return worker;
  }

  function gateway(options: { maxWaiting?: number; waitMs?: number } = {}): QueuedLocalProvider {
    const provider = createQueuedLocalProvider({ url: REDIS_TEST_URL, prefix, keys, refreshMs: 100, ...options });
    providers.push(provider);
    return provider;
  }

  const read = async (provider: QueuedLocalProvider, bytes: Uint8Array): Promise<ProviderOutcome> =>
    provider.recognize(bytes, { format: 'png', byteLength: bytes.byteLength });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    workers = [];
    await Promise.all(providers.map((p) => p.close()));
    providers = [];
    await cleanup(prefix);
  });
  afterAll(async () => {
    await cleanup(prefix);
  });

  it('reads the same card once however many gateways ask for it at once', async () => {
    const worker = await startWorker({ FAKE_OCR_MS: '300' });
    const [a, b] = [gateway(), gateway()];
    await expect.poll(() => a.refresh()).toBe(1);
    const bytes = await testPng(seed++);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => read(i % 2 ? a : b, bytes)));
    expect(answers.every((o) => o.kind === 'identity' && o.fields.name === `READ BY ${worker.pid}`)).toBe(true);
    expect(worker.reads()).toBe(1);
  });

  it('stores neither image nor answer readably in Redis, and names jobs by a keyed digest', async () => {
    await startWorker();
    const a = gateway();
    await expect.poll(() => a.refresh()).toBe(1);
    const bytes = await testPng(seed++);
    expect(await read(a, bytes)).toMatchObject({ kind: 'identity' });
    const raw = rawClient();
    try {
      const stored = await keysUnder(raw, prefix);
      const dumps = await Promise.all(stored.map(async (key) => `${key} ${(await raw.dumpBuffer(key))?.toString('latin1') ?? ''}`));
      const dump = dumps.join('\n');
      expect(dump).toContain(':ocr:'); // the queue is there...
      for (const secret of ['3171024302821001', 'READ BY', 'KENDARI', Buffer.from(bytes.subarray(16, 48)).toString('latin1'), Buffer.from(bytes).toString('base64').slice(40, 80)]) {
        expect(dump).not.toContain(secret); // ...and nothing in it is readable
      }
    } finally {
      raw.disconnect();
    }
  });

  it('keeps the bound: beyond maxWaiting a new image gets the retryable "busy" answer at once', async () => {
    await startWorker({ FAKE_OCR_MS: '1500' });
    const a = gateway({ maxWaiting: 1 });
    await expect.poll(() => a.refresh()).toBe(1);
    const running = read(a, await testPng(seed++));
    await new Promise((resolve) => setTimeout(resolve, 300)); // taken by the worker
    const waiting = read(a, await testPng(seed++)); // waits in the queue
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await read(a, await testPng(seed++))).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, charged: false, message: 'the OCR engine is busy, retry shortly' });
    expect(await running).toMatchObject({ kind: 'identity' });
    expect(await waiting).toMatchObject({ kind: 'identity' });
  });

  it('a worker SIGKILLed mid-job leaves a stalled job that another worker reads; the client gets its answer', async () => {
    const pair = [await startWorker({ FAKE_OCR_MS: '1500' }), await startWorker({ FAKE_OCR_MS: '1500' })];
    const a = gateway();
    await expect.poll(() => a.refresh()).toBe(2);
    const answer = read(a, await testPng(seed++));
    await expect.poll(() => pair.filter((w) => w.starts() === 1).length, { timeout: 5_000 }).toBe(1);
    const [holder, other] = pair[0]!.starts() === 1 ? [pair[0]!, pair[1]!] : [pair[1]!, pair[0]!];
    await holder.kill('SIGKILL');
    expect(await answer).toMatchObject({ kind: 'identity', fields: { name: `READ BY ${other.pid}` } });
    expect(holder.reads()).toBe(0);
    expect(other.reads()).toBe(1);
  });

  it('a job whose workers keep dying runs out of attempts: the client gets a retryable error, not a hang', async () => {
    const a = gateway();
    let doomed = await startWorker({ FAKE_OCR_MS: '60000' });
    await expect.poll(() => a.refresh(), { timeout: 30_000 }).toBe(1);
    const answer = read(a, await testPng(seed++));
    // Each worker starts the job and dies; the third finds it stalled twice and fails it.
    for (let i = 0; i < 2; i++) {
      await expect.poll(() => doomed.starts(), { timeout: 30_000 }).toBe(1);
      await doomed.kill('SIGKILL');
      if (i === 0) doomed = await startWorker({ FAKE_OCR_MS: '60000' });
    }
    const third = await startWorker({ FAKE_OCR_MS: '50' });
    expect(await answer).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, charged: false });
    expect(third.reads()).toBe(0);
  }, 120_000);

  it('/readyz says whether any worker is alive, and a gateway without workers answers at once', async () => {
    const provider = gateway();
    const server = createServer(createGateway({ config: loadConfig({}), provider }).handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const readyz = async () => {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      await expect.poll(readyz).toEqual({ status: 503, body: { ready: false, provider: 'local', ocrQueue: { workersAlive: 0 } } });
      expect(await read(provider, await testPng(seed++))).toMatchObject({ kind: 'error', code: 'INNER_ERROR', retryable: true, message: 'no OCR worker is running; retry shortly' });
      const worker = await startWorker();
      await expect.poll(readyz).toEqual({ status: 200, body: { ready: true, provider: 'local', ocrQueue: { workersAlive: 1 } } });
      await worker.kill('SIGKILL');
      await expect.poll(readyz).toMatchObject({ status: 503, body: { ocrQueue: { workersAlive: 0 } } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('`ktp-gateway worker` reads a real card with the real engine, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/ktp-gateway.js', 'worker'], {
      cwd: root,
      env: { ...process.env, REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix, CACHE_ENCRYPTION_KEY: keyText, LOCAL_OCR_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const a = gateway({ waitMs: 60_000 });
      await expect.poll(() => a.refresh(), { timeout: 60_000, interval: 200 }).toBe(1);
      const card = new URL('../../fixtures/cards/ktp-09185/', import.meta.url);
      // The 640 px variant: the lightest real card, so this test adds little to the OCR suites beside it.
      const bytes = new Uint8Array(await readFile(new URL('w640.jpg', card)));
      const truth = JSON.parse(await readFile(new URL('truth.json', card), 'utf8')) as { id: string };
      const answer = await read(a, bytes);
      // The message says why when it is not an identity (on a saturated machine: the engine's 30 s job timeout).
      expect(answer.kind === 'error' ? answer.message : answer.kind).toBe('identity');
      expect(answer).toMatchObject({ kind: 'identity', charged: false, fields: { id: truth.id } });
    } finally {
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(output).toContain('stopping after 1 job(s)');
    }
  }, 120_000);
}, { timeout: 120_000 }); // worker processes start slowly on a loaded machine
