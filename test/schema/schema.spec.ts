import { readFileSync } from 'node:fs';
import { createFetch } from '@whatwg-node/fetch';
import { execute, parse, type ExecutionResult, type GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/recognition/content-hash.ts';
import { createMemoryCache } from '../../src/recognition/memory-cache.ts';
import type { ProviderOutcome } from '../../src/outcome.ts';
import { ocrError } from '../../src/outcome.ts';
import { createRecognizer } from '../../src/recognition/recognizer.ts';
import { createGraphQLContext } from '../../src/schema/context.ts';
import { printContract, subgraphSchema } from '../../src/schema/index.ts';
import { SAMPLE_IDENTITY } from '../support/fake-ekycpro.ts';
import { testPdf } from '../support/image-bytes.ts';
import { testJpeg } from '../support/images.ts';
import { RECOGNIZE_MUTATION } from '../support/multipart.ts';
import { identity, scriptedProvider, type ScriptedProvider } from '../support/scripted-provider.ts';

const CHECKED_IN = new URL('../../schema.graphql', import.meta.url);

describe('the client-facing contract', () => {
  it('equals the checked-in schema.graphql (run `npm run schema:print` after a deliberate change)', () => {
    expect(printContract()).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it('declares the recognition mutation, its union and every error code', () => {
    const sdl = printContract();
    expect(sdl).toContain('recognizeKtp(image: Upload!): RecognizeKtpResult!');
    expect(sdl).toContain('union RecognizeKtpResult = KtpIdentity | OcrError');
    expect(sdl).toContain('ktpRecognizerStatus: KtpRecognizerStatus!');
    const codes = /enum OcrErrorCode \{([^}]*)\}/.exec(sdl)![1]!.match(/[A-Z_]{3,}/g);
    expect(codes?.sort()).toEqual(['FAIL', 'IMAGE_INVALID_FORMAT', 'IMAGE_INVALID_SIZE', 'INNER_ERROR', 'INVALID_REQUEST', 'QUOTA_EXCEEDED', 'RATE_LIMITED', 'UPSTREAM_UNAVAILABLE']);
  });

  it('leaves the federation plumbing out', () => {
    const sdl = printContract();
    expect(sdl).not.toMatch(/_service|_Service|_entities|@link|link__/);
  });
});

function context(provider: ScriptedProvider = scriptedProvider()) {
  const recognizer = createRecognizer({ provider, cache: createMemoryCache<ProviderOutcome>() });
  return { provider, contextValue: createGraphQLContext(recognizer, undefined) };
}

async function run(source: string, variableValues: Record<string, unknown>, contextValue: unknown): Promise<ExecutionResult<Record<string, any>>> {
  return (await execute({ schema: subgraphSchema, document: parse(source), variableValues, contextValue })) as ExecutionResult<Record<string, any>>;
}

const upload = (bytes: Uint8Array, name = 'ktp.jpg') => new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'image/jpeg' });

describe('executing the schema with a fake recognizer', () => {
  it('normalises each answer from its own values: two providers answering differently for the same bytes never share a result', async () => {
    const bytes = await testJpeg(4009);
    const a = context(scriptedProvider('a', () => identity({ name: 'FIRST READING' })));
    const b = context(scriptedProvider('b', () => identity({ name: 'SECOND READING' })));
    const first = await run(RECOGNIZE_MUTATION, { image: upload(bytes) }, a.contextValue);
    const second = await run(RECOGNIZE_MUTATION, { image: upload(bytes) }, b.contextValue);
    expect([first.data?.recognizeKtp.name, second.data?.recognizeKtp.name]).toEqual(['FIRST READING', 'SECOND READING']);
  });

  it('prints an identity normalised, with the raw answer alongside', async () => {
    const { contextValue, provider } = context();
    const bytes = await testJpeg(4001);
    const result = await run(RECOGNIZE_MUTATION, { image: upload(bytes) }, contextValue);
    expect(result.errors).toBeUndefined();
    expect(result.data?.recognizeKtp).toMatchObject({
      __typename: 'KtpIdentity',
      nik: SAMPLE_IDENTITY.id,
      name: 'HELLO NAME',
      birthPlace: 'GARESSI SUPPA',
      birthDate: '1982-02-03',
      gender: 'FEMALE',
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
      nationality: 'WNI',
      cached: false,
      contentHash: contentHash(bytes),
      raw: { nationnality: 'WNI', dob: '03-02-1982', gender: 'PEREMPUAN' },
    });
    expect(provider.calls).toHaveLength(1);
  });

  it('says whether the provider charged for an identity, as OcrError does, and whether this request cost it', async () => {
    const query = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { ... on KtpIdentity { cached charged } } }';
    const recognizer = createRecognizer({ provider: scriptedProvider('ekycpro', () => identity()), cache: createMemoryCache<ProviderOutcome>() });
    const bytes = await testJpeg(4010);
    const first = await run(query, { image: upload(bytes) }, createGraphQLContext(recognizer, undefined));
    const second = await run(query, { image: upload(bytes) }, createGraphQLContext(recognizer, undefined));
    expect([first.data?.recognizeKtp, second.data?.recognizeKtp]).toEqual([
      { cached: false, charged: true },
      { cached: true, charged: true },
    ]);
    const offline = context(scriptedProvider('local', () => ({ ...identity(), charged: false })));
    expect((await run(query, { image: upload(bytes) }, offline.contextValue)).data?.recognizeKtp).toEqual({ cached: false, charged: false });
  });

  it('keeps a paid answer with values outside the enums: null enum, raw value kept', async () => {
    const { contextValue } = context(scriptedProvider('scripted', () => identity({ gender: '?', religion: 'LAINNYA', dob: '' })));
    const result = await run(RECOGNIZE_MUTATION, { image: upload(await testJpeg(4002)) }, contextValue);
    expect(result.errors).toBeUndefined();
    expect(result.data?.recognizeKtp).toMatchObject({
      __typename: 'KtpIdentity',
      gender: null,
      religion: null,
      birthDate: null,
      raw: { gender: '?', dob: '' },
    });
  });

  it('prints an error outcome as OcrError data, not a GraphQL error', async () => {
    const { contextValue } = context(scriptedProvider('scripted', () => ocrError('FAIL', 'check input image and retry')));
    const result = await run(RECOGNIZE_MUTATION, { image: upload(await testJpeg(4003)) }, contextValue);
    expect(result.errors).toBeUndefined();
    expect(result.data?.recognizeKtp).toEqual({
      __typename: 'OcrError',
      code: 'FAIL',
      message: 'check input image and retry',
      charged: true,
      retryable: false,
      cached: false,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('answers bad bytes without the provider, whatever the file name says', async () => {
    const { contextValue, provider } = context();
    const result = await run(RECOGNIZE_MUTATION, { image: upload(testPdf(4004), 'scan.jpg') }, contextValue);
    expect(result.data?.recognizeKtp).toMatchObject({ __typename: 'OcrError', code: 'IMAGE_INVALID_FORMAT', charged: false });
    expect(provider.calls).toHaveLength(0);
  });

  it('shares one recognition between aliases of the same image in one operation', async () => {
    const { contextValue, provider } = context();
    const query = `mutation ($a: Upload!, $b: Upload!) {
      x: recognizeKtp(image: $a) { __typename }
      y: recognizeKtp(image: $b) { __typename }
      z: recognizeKtp(image: $a) { __typename }
    }`;
    const bytes = await testJpeg(4005);
    const result = await run(query, { a: upload(bytes), b: upload(new Uint8Array(bytes)) }, contextValue);
    expect(result.errors).toBeUndefined();
    expect(provider.calls).toHaveLength(1);
  });

  it('reports the provider and its readiness', async () => {
    const provider = scriptedProvider('ekycpro');
    provider.isReady = () => false;
    const { contextValue } = context(provider);
    const result = await run('{ ktpRecognizerStatus { provider ready } }', {}, contextValue);
    expect(result.data).toEqual({ ktpRecognizerStatus: { provider: 'ekycpro', ready: false } });
  });

  it('refuses an Upload given inline or as a string, with a message pointing at multipart', async () => {
    const { contextValue, provider } = context();
    const asString = await run(RECOGNIZE_MUTATION, { image: 'ktp.jpg' }, contextValue);
    expect(asString.errors?.[0]?.message).toMatch(/multipart request/);
    const inline = await run('mutation { recognizeKtp(image: "ktp.jpg") { __typename } }', {}, contextValue);
    expect(inline.errors?.[0]?.message).toMatch(/invalid value/);
    expect(inline.data?.recognizeKtp ?? null).toBeNull();
    expect(provider.calls).toHaveLength(0);
  });

  it('accepts the File that Yoga’s own multipart parser produces (not the global File class)', async () => {
    const fetchApi = createFetch({ formDataLimits: { files: 1 } });
    const form = new FormData();
    form.append('0', upload(await testJpeg(4006)));
    const encoded = new Response(form);
    const parsed = await new fetchApi.Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type')! },
      body: new Uint8Array(await encoded.arrayBuffer()),
    }).formData();
    const file = parsed.get('0');
    const scalar = subgraphSchema.getType('Upload') as GraphQLScalarType;
    expect(scalar.parseValue(file)).toBe(file);
  });

  it('serialises Date as given and refuses a non-ISO date input', () => {
    const scalar = subgraphSchema.getType('Date') as GraphQLScalarType;
    expect(scalar.serialize('1982-02-03')).toBe('1982-02-03');
    expect(scalar.parseValue('1982-02-03')).toBe('1982-02-03');
    expect(() => scalar.parseValue('03-02-1982')).toThrow(/YYYY-MM-DD/);
  });
});
