import { describe, expect, it } from 'vitest';
import { parseContractAnswer } from '../../../src/providers/ekycpro/parse-answer.ts';
import { SAMPLE_IDENTITY } from '../../support/fake-ekycpro.ts';
import { CONTRACT_MESSAGES, CONTRACT_OK_KEYS } from '../../support/contract.ts';

const json = (value: unknown) => JSON.stringify(value);

describe('parseContractAnswer: the documented answers', () => {
  it('turns OK into an identity with every contract field verbatim, charged', () => {
    const outcome = parseContractAnswer(200, json({ status: 'OK', message: SAMPLE_IDENTITY }));
    expect(outcome).toEqual({ kind: 'identity', fields: SAMPLE_IDENTITY, charged: true });
    if (outcome.kind !== 'identity') throw new Error('expected an identity');
    expect(outcome.fields.nationnality).toBe('WNI');
    expect(Object.keys(outcome.fields)).toEqual([...CONTRACT_OK_KEYS]);
  });

  it.each([
    ['FAIL', true, false],
    ['INVALID_REQUEST', false, false],
    ['IMAGE_INVALID_FORMAT', false, false],
    ['IMAGE_INVALID_SIZE', false, false],
    ['INNER_ERROR', false, true],
  ] as const)('maps %s with its message (charged %s, retryable %s)', (status, charged, retryable) => {
    expect(parseContractAnswer(200, json({ status, message: 'as sent by upstream' }))).toEqual({
      kind: 'error',
      code: status,
      message: 'as sent by upstream',
      charged,
      retryable,
    });
  });
});

describe('parseContractAnswer: quirks and broken answers', () => {
  const unavailable = { kind: 'error', code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true };
  const chargedFail = { kind: 'error', code: 'FAIL', charged: true, retryable: false };

  it.each<[string, number, string, Record<string, unknown>]>([
    // A status without its message gets the documented one.
    ['FAIL without message', 200, json({ status: 'FAIL' }), { code: 'FAIL', message: CONTRACT_MESSAGES.FAIL, charged: true, retryable: false }],
    ['FAIL with an empty message', 200, json({ status: 'FAIL', message: '' }), { code: 'FAIL', message: CONTRACT_MESSAGES.FAIL }],
    ['FAIL with a blank message', 200, json({ status: 'FAIL', message: '   ' }), { code: 'FAIL', message: CONTRACT_MESSAGES.FAIL }],
    ['FAIL with a null message', 200, json({ status: 'FAIL', message: null }), { code: 'FAIL', message: CONTRACT_MESSAGES.FAIL }],
    ['FAIL with an object message', 200, json({ status: 'FAIL', message: { why: 1 } }), { code: 'FAIL', message: CONTRACT_MESSAGES.FAIL }],
    ['INNER_ERROR without message', 200, json({ status: 'INNER_ERROR' }), { code: 'INNER_ERROR', message: CONTRACT_MESSAGES.INNER_ERROR, charged: false, retryable: true }],
    ['IMAGE_INVALID_SIZE without message', 200, json({ status: 'IMAGE_INVALID_SIZE' }), { code: 'IMAGE_INVALID_SIZE', message: CONTRACT_MESSAGES.IMAGE_INVALID_SIZE }],
    // An OK is charged whatever it carries: an unusable one says so.
    ['OK without message', 200, json({ status: 'OK' }), chargedFail],
    ['OK with a string message', 200, json({ status: 'OK', message: 'done' }), chargedFail],
    ['OK with an array message', 200, json({ status: 'OK', message: [SAMPLE_IDENTITY] }), chargedFail],
    ['OK without id', 200, json({ status: 'OK', message: { ...SAMPLE_IDENTITY, id: undefined } }), chargedFail],
    ['OK with a blank id', 200, json({ status: 'OK', message: { ...SAMPLE_IDENTITY, id: '  ' } }), chargedFail],
    // Anything outside the contract is not trusted.
    ['an unknown status', 200, json({ status: 'PENDING', message: 'wait' }), unavailable],
    ['a lower-case status', 200, json({ status: 'ok', message: SAMPLE_IDENTITY }), unavailable],
    ['our own UPSTREAM_UNAVAILABLE sent by the upstream', 200, json({ status: 'UPSTREAM_UNAVAILABLE' }), unavailable],
    ['a numeric status', 200, json({ status: 200, message: SAMPLE_IDENTITY }), unavailable],
    ['no status', 200, json({ message: SAMPLE_IDENTITY }), unavailable],
    ['a JSON array', 200, json([{ status: 'OK' }]), unavailable],
    ['JSON null', 200, 'null', unavailable],
    ['a JSON string', 200, json('OK'), unavailable],
    ['malformed JSON', 200, '{"status":"OK","message":{"name":', unavailable],
    ['an empty body', 200, '', unavailable],
    ['an HTML 502 page', 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', unavailable],
    ['an HTML 503 page', 503, '<!DOCTYPE html><title>Service Unavailable</title>', unavailable],
    ['a 500 with an empty body', 500, '', unavailable],
  ])('%s', (_name, httpStatus, body, expected) => {
    expect(parseContractAnswer(httpStatus, body)).toMatchObject({ kind: 'error', ...expected });
  });

  it('names the HTTP status of a non-JSON error page and says when a 2xx was not JSON', () => {
    expect(parseContractAnswer(502, '<html>Bad Gateway</html>')).toMatchObject({ message: expect.stringContaining('HTTP 502') });
    expect(parseContractAnswer(200, 'not json')).toMatchObject({ message: expect.stringContaining('not JSON') });
  });

  it('marks a 200 it cannot read as one that may have been charged, and an error page as free', () => {
    // A charged OK cut short and a 200 with no status: the paid API answers every charge with a 200.
    for (const body of ['{"status":"OK","message":{"id":', '{"message":"?"}', '']) {
      expect(parseContractAnswer(200, body)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', charged: false, retryable: true, maybeCharged: true });
    }
    for (const [status, body] of [[502, '<html>Bad Gateway</html>'], [503, '{"message":"?"}'], [500, '']] as const) {
      expect(parseContractAnswer(status, body)).not.toHaveProperty('maybeCharged');
    }
  });

  it('reads "maybe empty" fields that are absent, null or numbers as text', () => {
    const outcome = parseContractAnswer(
      200,
      json({ status: 'OK', message: { id: '3171024302821001', name: 'SITI', rt: 6, rw: null, dob: '', extra: 'ignored' } }),
    );
    expect(outcome.kind).toBe('identity');
    if (outcome.kind !== 'identity') return;
    expect(outcome.fields).toMatchObject({ id: '3171024302821001', name: 'SITI', rt: '6', rw: '', dob: '', pob: '', nationnality: '' });
    expect(outcome.fields).not.toHaveProperty('extra');
  });

  it('keeps field strings verbatim, untrimmed', () => {
    const outcome = parseContractAnswer(200, json({ status: 'OK', message: { ...SAMPLE_IDENTITY, name: ' HELLO  NAME ' } }));
    expect(outcome).toMatchObject({ fields: { name: ' HELLO  NAME ' } });
  });

  it('trusts a contract body whatever the HTTP status (a proxy may rewrite it)', () => {
    expect(parseContractAnswer(503, json({ status: 'INNER_ERROR', message: 'busy' }))).toMatchObject({ code: 'INNER_ERROR', retryable: true });
  });
});
