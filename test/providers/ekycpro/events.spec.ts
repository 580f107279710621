import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEkycproProvider } from '../../../src/providers/ekycpro/index.ts';
import type { ProviderEvent } from '../../../src/providers/provider.ts';
import { FAKE_API_KEY, startFakeEkycpro, type FakeEkycpro } from '../../support/fake-ekycpro.ts';
import { testJpeg } from '../../support/images.ts';

/** The paid provider's events, which metrics attach to: each exchange, each retry, each breaker transition. */
let fake: FakeEkycpro;
beforeAll(async () => {
  fake = await startFakeEkycpro();
});
afterAll(() => fake.close());

const image = { format: 'jpeg' as const, byteLength: 100 };

describe('ekycpro provider events', () => {
  it('reports every exchange with its status and seconds, every retry, and the breaker opening and closing', async () => {
    let now = 0;
    const provider = createEkycproProvider({ url: fake.url, apiKey: FAKE_API_KEY, retries: 2, backoffMs: () => 1, breaker: { threshold: 3, cooldownMs: 1000, now: () => now } });
    const events: ProviderEvent[] = [];
    provider.onEvent!((event) => events.push(event));

    fake.behaviour = () => ({ kind: 'status', status: 'INNER_ERROR' });
    await provider.recognize(await testJpeg(1301), image);
    expect(events.map((event) => event.type)).toEqual(['upstream-call', 'retry', 'upstream-call', 'retry', 'breaker', 'upstream-call']);
    expect(events[0]).toMatchObject({ type: 'upstream-call', status: 'INNER_ERROR', seconds: expect.any(Number) });
    expect(events.find((event) => event.type === 'breaker')).toEqual({ type: 'breaker', state: 'open' });

    events.length = 0;
    now = 2000; // the cooldown is over: one trial, which succeeds
    fake.behaviour = () => ({ kind: 'ok' });
    await provider.recognize(await testJpeg(1302), image);
    expect(events).toEqual([{ type: 'breaker', state: 'half-open' }, { type: 'breaker', state: 'closed' }, { type: 'upstream-call', status: 'OK', seconds: expect.any(Number) }]);
  });
});
