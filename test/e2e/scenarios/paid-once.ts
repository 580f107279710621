import { afterEach, expect, it } from 'vitest';
import { contentHash } from '../../../src/recognition/content-hash.ts';
import { request } from '../../support/gateway-server.ts';
import { testJpeg } from '../../support/images.ts';
import { uploadInit } from '../../support/multipart.ts';
import { recognizeKtp, type E2eTarget, type StartTarget } from './target.ts';

/**
 * The money rules that hold whatever sits between the client and the paid API: a paid answer is
 * paid for once, whoever asks and however. A fresh target per test. The target must tolerate
 * 150 ms of upstream latency and retry an INNER_ERROR twice in all (three calls reach the fake).
 */
export function paidOnceScenarios(start: StartTarget): void {
  let target: E2eTarget | undefined;
  const started = async () => (target = await start());
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('50 concurrent then 50 sequential identical uploads reach the upstream exactly once', async () => {
    const t = await started();
    t.fake.latencyMs = 150; // long enough for the 50 concurrent requests to overlap
    const bytes = await testJpeg(2001);
    const hash = contentHash(bytes);

    const concurrent = await Promise.all(Array.from({ length: 50 }, () => recognizeKtp(t, bytes)));
    expect(t.fake.callsFor(hash)).toBe(1);
    expect(concurrent.every((r) => r.__typename === 'KtpIdentity')).toBe(true);
    expect(concurrent.filter((r) => !r.cached)).toHaveLength(1);

    for (let i = 0; i < 50; i++) {
      const result = await recognizeKtp(t, bytes);
      expect(result).toMatchObject({ __typename: 'KtpIdentity', cached: true });
    }
    expect(t.fake.callsFor(hash)).toBe(1);
    expect(t.fake.calls).toHaveLength(1);
  });

  it('aliases of recognizeKtp with the same file in one operation make one call', async () => {
    const t = await started();
    const bytes = await testJpeg(2002);
    const query = /* GraphQL */ `
      mutation ($image: Upload!) {
        a: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
        b: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
        c: recognizeKtp(image: $image) { ... on KtpIdentity { nik cached } }
      }
    `;
    const response = await request(t.graphqlUrl, uploadInit({ bytes }, { query }));
    expect(response.json?.errors).toBeUndefined();
    const { a, b, c } = response.json!.data!;
    expect([a.nik, b.nik, c.nik]).toEqual(Array(3).fill('3171024302821001'));
    expect(t.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('one file mapped to two variables in one operation makes one call', async () => {
    const t = await started();
    const bytes = await testJpeg(2003);
    const query = /* GraphQL */ `
      mutation ($front: Upload!, $copy: Upload!) {
        a: recognizeKtp(image: $front) { __typename }
        b: recognizeKtp(image: $copy) { __typename }
      }
    `;
    const response = await request(
      t.graphqlUrl,
      uploadInit({ bytes }, { query, variables: { front: null, copy: null }, map: { 0: ['variables.front', 'variables.copy'] } }),
    );
    expect(response.json?.errors).toBeUndefined();
    expect(response.json!.data).toEqual({ a: { __typename: 'KtpIdentity' }, b: { __typename: 'KtpIdentity' } });
    expect(t.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('caches a FAIL: the second request makes zero calls and says cached', async () => {
    const t = await started();
    t.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    const bytes = await testJpeg(2004);
    expect(await recognizeKtp(t, bytes)).toMatchObject({ code: 'FAIL', cached: false });
    expect(await recognizeKtp(t, bytes)).toMatchObject({ code: 'FAIL', cached: true, charged: true });
    expect(t.fake.callsFor(contentHash(bytes))).toBe(1);
  });

  it('does not cache an INNER_ERROR: the second request calls the upstream again', async () => {
    const t = await started();
    t.fake.behaviour = () => ({ kind: 'status', status: 'INNER_ERROR' });
    const bytes = await testJpeg(2005);
    const hash = contentHash(bytes);
    expect(await recognizeKtp(t, bytes)).toMatchObject({ code: 'INNER_ERROR', cached: false });
    expect(t.fake.callsFor(hash)).toBe(3);
    t.fake.behaviour = () => ({ kind: 'ok' });
    expect(await recognizeKtp(t, bytes)).toMatchObject({ __typename: 'KtpIdentity', cached: false });
    expect(t.fake.callsFor(hash)).toBe(4);
  });

  it('uploads of different images are each paid for once', async () => {
    const t = await started();
    const images = await Promise.all([2010, 2011, 2012].map((s) => testJpeg(s)));
    await Promise.all(images.flatMap((bytes) => [recognizeKtp(t, bytes), recognizeKtp(t, bytes)]));
    for (const bytes of images) expect(t.fake.callsFor(contentHash(bytes))).toBe(1);
  });
}
