import { describe, expect, it } from 'vitest';
import { CoalesceTimeoutError, createCoalescer, SharingUnavailableError } from '../../src/recognition/coalesce.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createCoalescer', () => {
  it('runs the work once for callers of the same key and says who joined', async () => {
    const coalescer = createCoalescer<string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const first = coalescer.run('k', work);
    const second = coalescer.run('k', work);
    const third = coalescer.run('k', work);
    expect(coalescer.size).toBe(1);
    gate.resolve('answer');
    expect(await Promise.all([first, second, third])).toEqual([
      { value: 'answer', joined: false },
      { value: 'answer', joined: true },
      { value: 'answer', joined: true },
    ]);
    expect(runs).toBe(1);
    expect(coalescer.size).toBe(0);
  });

  it('runs different keys separately', async () => {
    const coalescer = createCoalescer<string>();
    const seen: string[] = [];
    const results = await Promise.all(
      ['a', 'b'].map((key) =>
        coalescer.run(key, async () => {
          seen.push(key);
          return key.toUpperCase();
        }),
      ),
    );
    expect(seen.sort()).toEqual(['a', 'b']);
    expect(results.map((r) => r.value)).toEqual(['A', 'B']);
    expect(results.every((r) => !r.joined)).toBe(true);
  });

  it('starts afresh once a run has settled', async () => {
    const coalescer = createCoalescer<number>();
    let runs = 0;
    const work = async () => ++runs;
    expect(await coalescer.run('k', work)).toEqual({ value: 1, joined: false });
    expect(await coalescer.run('k', work)).toEqual({ value: 2, joined: false });
  });

  it('passes a failure to every caller and forgets the key', async () => {
    const coalescer = createCoalescer<string>();
    const gate = deferred<string>();
    const first = coalescer.run('k', () => gate.promise);
    const second = coalescer.run('k', () => gate.promise);
    gate.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).rejects.toThrow('boom');
    expect(coalescer.size).toBe(0);
    expect(await coalescer.run('k', async () => 'again')).toEqual({ value: 'again', joined: false });
  });

  it('does not abort the work while one caller still waits', async () => {
    const coalescer = createCoalescer<string>();
    const gate = deferred<string>();
    let workSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      workSignal = signal;
      return gate.promise;
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = coalescer.run('k', work, a.signal);
    const second = coalescer.run('k', work, b.signal);
    a.abort();
    expect(workSignal?.aborted).toBe(false);
    gate.resolve('kept');
    expect((await second).value).toBe('kept');
    // The caller that left still gets the value if it waits: the work was never cancelled.
    expect((await first).value).toBe('kept');
  });

  it('aborts the work once every caller has left, with the last reason', async () => {
    const coalescer = createCoalescer<string>();
    const gate = deferred<string>();
    let workSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      workSignal = signal;
      return gate.promise;
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = coalescer.run('k', work, a.signal);
    const second = coalescer.run('k', work, b.signal);
    a.abort(new Error('a left'));
    b.abort(new Error('b left'));
    expect(workSignal?.aborted).toBe(true);
    gate.resolve('late');
    await Promise.all([first, second]);
  });

  it('never aborts work that has a caller without a signal', async () => {
    const coalescer = createCoalescer<string>();
    const gate = deferred<string>();
    let workSignal: AbortSignal | undefined;
    const a = new AbortController();
    const first = coalescer.run(
      'k',
      (signal) => {
        workSignal = signal;
        return gate.promise;
      },
      a.signal,
    );
    const second = coalescer.run('k', () => gate.promise);
    a.abort();
    expect(workSignal?.aborted).toBe(false);
    gate.resolve('done');
    await Promise.all([first, second]);
  });

  it('stops listening to a caller signal once its run has settled', async () => {
    const coalescer = createCoalescer<string>();
    const controller = new AbortController();
    const added: string[] = [];
    const removed: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
      added.push(type);
      add(type, listener, options);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: EventListener) => {
      removed.push(type);
      remove(type, listener);
    }) as typeof signal.removeEventListener;
    await coalescer.run('k', async () => 'v', signal);
    expect(added).toEqual(['abort']);
    expect(removed).toEqual(['abort']);
  });
});

describe('the errors a coalescer throws', () => {
  it('name themselves, so that a log or a thrown stack says which one it was', () => {
    expect(new CoalesceTimeoutError('waited').name).toBe('CoalesceTimeoutError');
    expect(new SharingUnavailableError('down').name).toBe('SharingUnavailableError');
  });
});
