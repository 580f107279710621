import { describe, expect, it } from 'vitest';
import { isProviderOutcome } from '../../src/recognition/shared-memory.ts';

/**
 * What the shared cache serves from Redis: a value that decrypts and parses is still dropped
 * unless it has an outcome's shape (another version's entries, a bug's), so that no replica answers
 * a client with something that is not an identity or a typed error.
 */
describe('isProviderOutcome: the shape a value from Redis must have to be served', () => {
  const identity = { kind: 'identity', charged: true, fields: { id: '3171024302821001' } };
  const error = { kind: 'error', charged: true, code: 'FAIL', message: 'no KTP', retryable: false };

  it('serves an identity with fields and a typed error with code, message and retryable', () => {
    expect(isProviderOutcome(identity)).toBe(true);
    expect(isProviderOutcome(error)).toBe(true);
    expect(isProviderOutcome({ ...error, charged: false, retryable: true })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'an outcome'],
    ['a number', 42],
    ['an identity without charged', { kind: 'identity', fields: {} }],
    ['an identity whose charged is a string', { ...identity, charged: 'true' }],
    ['an identity without fields', { kind: 'identity', charged: true }],
    ['an identity whose fields are null', { ...identity, fields: null }],
    ['an identity whose fields are a string', { ...identity, fields: 'NIK' }],
    ['an error without code', { ...error, code: undefined }],
    ['an error whose code is a number', { ...error, code: 3 }],
    ['an error without message', { ...error, message: undefined }],
    ['an error whose retryable is a string', { ...error, retryable: 'no' }],
    ['an error without retryable', { ...error, retryable: undefined }],
    ['another kind', { ...error, kind: 'partial' }],
  ])('drops %s', (_what, value) => {
    expect(isProviderOutcome(value)).toBe(false);
  });
});
