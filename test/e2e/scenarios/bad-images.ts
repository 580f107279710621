import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/recognition/content-hash.ts';
import { request } from '../../support/gateway-server.ts';
import { testPdf, testText, truncated } from '../../support/image-bytes.ts';
import { padPngTo, testJpeg, testPng } from '../../support/images.ts';
import { hostileImages } from '../../support/hostile-images.ts';
import { uploadInit, type UploadFile } from '../../support/multipart.ts';
import type { E2eTarget, StartTarget } from './target.ts';

/**
 * Bad images are answered by the gateway the client talks to, with zero calls anywhere behind it.
 * One target for all the tests; it must accept a 2 MiB image within its request limits.
 */
export function badImageScenarios(start: StartTarget): void {
  let target: E2eTarget;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(async () => {
    await target.close();
  });

  async function upload(file: UploadFile) {
    const before = target.fake.calls.length;
    const response = await request(target.graphqlUrl, uploadInit(file));
    return { response, result: response.json?.data?.recognizeKtp, newCalls: target.fake.calls.length - before };
  }

  describe('bad images are answered by the gateway, with zero upstream calls', () => {
    it.each([
      ['a PDF named .jpg sent as image/jpeg', () => testPdf(3001), 'IMAGE_INVALID_FORMAT', /jpeg, png or bmp/],
      ['a text file named .jpg sent as image/jpeg', () => testText(3002), 'IMAGE_INVALID_FORMAT', /jpeg, png or bmp/],
      ['a truncated JPEG', async () => truncated(await testJpeg(3003, 64, 64)), 'IMAGE_INVALID_FORMAT', /truncated/],
      ['a truncated PNG', async () => truncated(await testPng(3004, 64, 64)), 'IMAGE_INVALID_FORMAT', /truncated/],
      ['an empty file', () => new Uint8Array(0), 'INVALID_REQUEST', /empty/],
      ['a 2 MiB + 1 byte image', async () => padPngTo(await testPng(3005), 2 * 1024 * 1024 + 1), 'IMAGE_INVALID_SIZE', /larger than 2M/],
    ])('%s → OcrError %s', async (_name, make, code, message) => {
      const { response, result, newCalls } = await upload({ bytes: await make(), filename: 'ktp.jpg', type: 'image/jpeg' });
      expect(response.status).toBe(200);
      expect(result).toMatchObject({ __typename: 'OcrError', code, charged: false, retryable: false, cached: false });
      expect(result.message).toMatch(message);
      expect(newCalls).toBe(0);
    });

    it('an image of exactly 2 MiB passes the check and reaches the upstream once', async () => {
      const bytes = padPngTo(await testPng(3006), 2 * 1024 * 1024);
      const { result, newCalls } = await upload({ bytes, filename: 'ktp.png', type: 'image/png' });
      expect(result.__typename).toBe('KtpIdentity');
      expect(newCalls).toBe(1);
      expect(target.fake.callsFor(contentHash(bytes))).toBe(1);
    });
  
    it('33+ hostile files that pass the byte checks (bombs, corrupt data, impossible headers) → refused, free, 0 upstream calls', async () => {
      const before = target.fake.calls.length;
      const files = await hostileImages(31);
      expect(files.length).toBeGreaterThanOrEqual(33);
      for (const file of files) {
        const { response, result } = await upload({ bytes: file.bytes, filename: 'ktp.png', type: 'image/png' });
        expect(response.status, file.name).toBe(200);
        expect(result, file.name).toMatchObject({ __typename: 'OcrError', code: file.code, charged: false, retryable: false });
      }
      expect(target.fake.calls.length).toBe(before);
    });
  });
}
