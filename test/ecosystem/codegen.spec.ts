import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import codegenConfig from '../../examples/codegen.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { testJpeg } from '../support/images.ts';

/**
 * The frontend team's path, as the README tells it: GraphQL Code Generator with
 * `examples/codegen.ts`, the typed upload example compiled with tsc, then run against a server.
 */
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const GENERATED = `${EXAMPLES}gql/`;
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

let gw: GatewayServer;
beforeAll(async () => {
  rmSync(GENERATED, { recursive: true, force: true });
  await generate({ ...codegenConfig, silent: true }, true);
  gw = await startGatewayServer();
}, 120_000);
afterAll(() => gw?.close());

describe('typed clients with GraphQL Code Generator', () => {
  it('maps Upload to File and Date to string under strictScalars, and the upload example compiles with tsc', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, '--noEmit', '-p', EXAMPLES]).catch((error: { stdout: string }) => error);
    expect(stdout).toBe('');
  }, 120_000);

  it('fails under strictScalars without the Upload mapping: the mapping is what makes it work', async () => {
    const [path, target] = Object.entries(codegenConfig.generates)[0]!;
    const withoutUpload = structuredClone(target) as { config: { scalars: Record<string, unknown> } };
    delete withoutUpload.config.scalars.Upload;
    await expect(generate({ ...codegenConfig, generates: { [path]: withoutUpload as never }, silent: true }, false)).rejects.toThrow(
      /Unknown scalar type Upload/,
    );
  });

  // The contract's sample card prints a province its NIK's region code disagrees with: one warning.
  it('runs the example against a real server: the union handled, cached and charged shown', async () => {
    // Imported by URL: the example's types come from the generated folder, which exists only
    // once codegen has run, so the repository's own tsc must not follow this import.
    const { recognizeCard, describeResult } = (await import(new URL('../../examples/upload-card.ts', import.meta.url).href)) as {
      recognizeCard(endpoint: string, image: File): Promise<Record<string, unknown>>;
      describeResult(result: Record<string, unknown>): string;
    };
    const image = new File([await testJpeg(10_501)], 'ktp.jpg', { type: 'image/jpeg' });
    const first = await recognizeCard(gw.graphqlUrl, image);
    expect(first).toMatchObject({ __typename: 'KtpIdentity', nik: '3171024302821001', cached: false, charged: true });
    expect(describeResult(first)).toBe('HELLO NAME, born 1982-02-03, NIK checks pass (1 warning: ask for a second look) [new recognition, charged now]');
    expect(describeResult(await recognizeCard(gw.graphqlUrl, image))).toBe('HELLO NAME, born 1982-02-03, NIK checks pass (1 warning: ask for a second look) [from cache, no charge now]');

    gw.fake.behaviour = () => ({ kind: 'status', status: 'FAIL' });
    try {
      const failed = await recognizeCard(gw.graphqlUrl, new File([await testJpeg(10_502)], 'ktp.jpg', { type: 'image/jpeg' }));
      expect(describeResult(failed)).toBe('FAIL: check input image and retry [new recognition, charged now]');
    } finally {
      gw.fake.behaviour = () => ({ kind: 'ok' });
    }
  });
});
