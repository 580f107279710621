import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/recognition/content-hash.ts';
import { SAMPLE_IDENTITY, type FakeAnswer } from '../../support/fake-ekycpro.ts';
import { testJpeg } from '../../support/images.ts';
import { recognizeKtp, type E2eTarget, type StartTarget } from './target.ts';
import { CONTRACT_MESSAGES } from '../../support/contract.ts';

export interface UpstreamStatusOptions {
  /**
   * What an upstream that is in trouble (a 5xx page, malformed JSON, a dropped connection) looks like
   * to the client: `UPSTREAM_UNAVAILABLE` from a gateway that talks to the paid API, `INNER_ERROR`
   * from one behind another gateway (whose contract endpoint prints the trouble as INNER_ERROR).
   */
  troubleCode: 'UPSTREAM_UNAVAILABLE' | 'INNER_ERROR';
}

/**
 * Every upstream contract answer, through a GraphQL multipart request: mapped to the union, with
 * the right charge and the right number of calls. One target for all the tests (distinct images).
 * The target must retry an INNER_ERROR twice in all (three calls reach the fake) and keep its
 * circuit breaker closed across these tests.
 */
export function upstreamStatusScenarios(start: StartTarget, { troubleCode }: UpstreamStatusOptions): void {
  let target: E2eTarget;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.fake.behaviour = () => ({ kind: 'ok' });
    target.fake.latencyMs = 0;
  });

  let seed = 1000;
  async function recognize(answer: FakeAnswer) {
    target.fake.behaviour = () => answer;
    const bytes = await testJpeg(seed++);
    const result = await recognizeKtp(target, bytes);
    const hash = contentHash(bytes);
    return { result, calls: target.fake.callsFor(hash), hash };
  }

  describe('recognizeKtp over GraphQL multipart: upstream OK', () => {
    it('prints a KtpIdentity: ISO birth date, FEMALE from PEREMPUAN, raw.nationnality kept', async () => {
      const { result, calls, hash } = await recognize({ kind: 'ok' });
      expect(result).toMatchObject({
        __typename: 'KtpIdentity',
        nik: SAMPLE_IDENTITY.id,
        name: SAMPLE_IDENTITY.name,
        birthDate: '1982-02-03',
        gender: 'FEMALE',
        cached: false,
        contentHash: hash,
        raw: { id: SAMPLE_IDENTITY.id, dob: '03-02-1982', gender: 'PEREMPUAN', nationnality: 'WNI' },
      });
      expect(calls).toBe(1);
    });

    it('prints MALE from LAKI-LAKI', async () => {
      const { result } = await recognize({
        kind: 'ok',
        message: { ...SAMPLE_IDENTITY, id: '3171020302821001', gender: 'LAKI-LAKI', dob: '03-02-1982' },
      });
      expect(result).toMatchObject({ __typename: 'KtpIdentity', gender: 'MALE', birthDate: '1982-02-03', raw: { gender: 'LAKI-LAKI' } });
    });
  });

  describe('recognizeKtp over GraphQL multipart: contract errors', () => {
    it('FAIL → OcrError FAIL, charged, not retryable, one call', async () => {
      const { result, calls } = await recognize({ kind: 'status', status: 'FAIL', message: 'check input image and retry' });
      expect(result).toMatchObject({
        __typename: 'OcrError',
        code: 'FAIL',
        message: 'check input image and retry',
        charged: true,
        retryable: false,
        cached: false,
      });
      expect(calls).toBe(1);
    });

    it('FAIL without a message → the documented message', async () => {
      const { result } = await recognize({ kind: 'status', status: 'FAIL', omitMessage: true });
      expect(result).toMatchObject({ code: 'FAIL', message: CONTRACT_MESSAGES.FAIL });
    });

    it.each(['INVALID_REQUEST', 'IMAGE_INVALID_FORMAT', 'IMAGE_INVALID_SIZE'] as const)('%s → OcrError, free, one call', async (status) => {
      const { result, calls } = await recognize({ kind: 'status', status });
      expect(result).toMatchObject({ __typename: 'OcrError', code: status, message: CONTRACT_MESSAGES[status], charged: false, retryable: false });
      expect(calls).toBe(1);
    });

    it('INNER_ERROR → retried up to the bound (1 + 2 calls), then OcrError INNER_ERROR, retryable', async () => {
      const { result, calls } = await recognize({ kind: 'status', status: 'INNER_ERROR' });
      expect(result).toMatchObject({ __typename: 'OcrError', code: 'INNER_ERROR', charged: false, retryable: true });
      expect(calls).toBe(3);
    });
  });

  describe('the same image sent three times: whatever the paid API charged for is paid once', () => {
    async function sendThrice(answer: FakeAnswer) {
      target.fake.behaviour = () => answer;
      const bytes = await testJpeg(seed++);
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await recognizeKtp(target, bytes));
      return { results, calls: target.fake.callsFor(contentHash(bytes)) };
    }

    it.each<[string, FakeAnswer]>([
      ['OK', { kind: 'ok' }],
      ['OK without a message', { kind: 'status', status: 'OK', omitMessage: true }],
      ['OK with an empty message', { kind: 'ok', message: {} }],
      ['OK with a message that is a string', { kind: 'status', status: 'OK', message: 'done' }],
      ['OK without an id', { kind: 'ok', message: { ...SAMPLE_IDENTITY, id: '' } }],
      ['FAIL', { kind: 'status', status: 'FAIL' }],
      ['FAIL without a message', { kind: 'status', status: 'FAIL', omitMessage: true }],
    ])('%s: one call, then answered from the cache, never charged again', async (_name, answer) => {
      const { results, calls } = await sendThrice(answer);
      expect(calls).toBe(1);
      expect(results.map((r) => r.cached)).toEqual([false, true, true]);
      expect(results[1]).toEqual({ ...results[0], cached: true });
    });

    it.each<[string, FakeAnswer, number]>([
      ['INVALID_REQUEST', { kind: 'status', status: 'INVALID_REQUEST' }, 1],
      ['IMAGE_INVALID_FORMAT', { kind: 'status', status: 'IMAGE_INVALID_FORMAT' }, 1],
      ['IMAGE_INVALID_SIZE', { kind: 'status', status: 'IMAGE_INVALID_SIZE' }, 1],
      ['INNER_ERROR (retried twice each time)', { kind: 'status', status: 'INNER_ERROR' }, 3],
    ])('%s is free: asked again each time, never kept', async (_name, answer, callsPerSend) => {
      const { results, calls } = await sendThrice(answer);
      expect(calls).toBe(3 * callsPerSend);
      expect(results.map((r) => [r.charged, r.cached])).toEqual([[false, false], [false, false], [false, false]]);
    });
  });

  describe(`recognizeKtp over GraphQL multipart: upstream trouble → ${troubleCode}`, () => {
    it.each<[string, FakeAnswer]>([
      ['HTTP 502 with an HTML body', { kind: 'http', status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }],
      ['HTTP 503 with an HTML body', { kind: 'http', status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>' }],
      ['malformed JSON', { kind: 'http', status: 200, contentType: 'application/json', body: '{"status": "OK", "message": {' }],
      ['an unknown status', { kind: 'status', status: 'RATE_LIMITED', message: 'slow down' }],
      ['a destroyed connection', { kind: 'destroy' }],
    ])(`%s → OcrError ${troubleCode}, free, retryable, sent once`, async (_name, answer) => {
      const { result, calls } = await recognize(answer);
      expect(result).toMatchObject({ __typename: 'OcrError', code: troubleCode, charged: false, retryable: true });
      expect(calls).toBe(1);
    });
  });
}
