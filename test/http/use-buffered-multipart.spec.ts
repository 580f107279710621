import { describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { splitSimpleMultipart, useBufferedMultipart, type BufferedBodyContext } from '../../src/http/use-buffered-multipart.ts';

const encoder = new TextEncoder();

/** A body as undici's FormData serialises it (Apollo's upload link and urql send the same shape). */
async function undiciBody(parts: [string, string | File][]): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  const request = new Request('http://x/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** A body written out by hand, the way curl -F writes it. */
function handBody(boundary: string, text: string): Uint8Array {
  return encoder.encode(text.replaceAll('\n', '\r\n').replaceAll('BOUNDARY', boundary));
}

describe('splitSimpleMultipart', () => {
  it('splits what fetch clients send: string fields and one file, bytes untouched', async () => {
    const image = new Uint8Array([0xff, 0xd8, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0, 1, 2, 0xff, 0xd9]); // CRLF and dashes inside the file
    const { body, contentType } = await undiciBody([
      ['operations', '{"query":"q","variables":{"image":null}}'],
      ['map', '{"0":["variables.image"]}'],
      ['0', new File([image], 'ktp.jpg', { type: 'image/jpeg' })],
    ]);
    const form = splitSimpleMultipart(body, contentType)!;
    expect(form.get('operations')).toBe('{"query":"q","variables":{"image":null}}');
    expect(form.get('map')).toBe('{"0":["variables.image"]}');
    const file = form.get('0') as File;
    expect([file.name, file.type, file.size]).toEqual(['ktp.jpg', 'image/jpeg', image.byteLength]);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(image);
    expect(form.get('missing')).toBeNull();
  });

  it('splits what curl -F sends', async () => {
    const body = handBody(
      'xyz',
      '--BOUNDARY\nContent-Disposition: form-data; name="operations"\n\n{"query":"q"}\n--BOUNDARY\nContent-Disposition: form-data; name="0"; filename="ktp.png"\nContent-Type: image/png\n\nPNGDATA\n--BOUNDARY--\n',
    );
    const form = splitSimpleMultipart(body, 'multipart/form-data; boundary=xyz')!;
    expect(form.get('operations')).toBe('{"query":"q"}');
    expect(await (form.get('0') as File).text()).toBe('PNGDATA');
  });

  it.each([
    ['no boundary', 'multipart/form-data', '--BOUNDARY\nContent-Disposition: form-data; name="a"\n\n1\n--BOUNDARY--\n'],
    ['a preamble', 'multipart/form-data; boundary=b', 'hello\n--BOUNDARY\nContent-Disposition: form-data; name="a"\n\n1\n--BOUNDARY--\n'],
    ['two files', 'multipart/form-data; boundary=b', '--BOUNDARY\nContent-Disposition: form-data; name="0"; filename="a"\n\nA\n--BOUNDARY\nContent-Disposition: form-data; name="1"; filename="b"\n\nB\n--BOUNDARY--\n'],
    ['an escaped quote in a name', 'multipart/form-data; boundary=b', '--BOUNDARY\nContent-Disposition: form-data; name="a\\"b"\n\n1\n--BOUNDARY--\n'],
    ['another part header', 'multipart/form-data; boundary=b', '--BOUNDARY\nContent-Disposition: form-data; name="a"\nContent-Transfer-Encoding: base64\n\nMQ==\n--BOUNDARY--\n'],
    ['no closing delimiter', 'multipart/form-data; boundary=b', '--BOUNDARY\nContent-Disposition: form-data; name="a"\n\n1\n'],
    ['a truncated header block', 'multipart/form-data; boundary=b', '--BOUNDARY\nContent-Disposition: form-data; name="a"'],
  ])('leaves a body with %s to the full parser', (_what, contentType, text) => {
    expect(splitSimpleMultipart(handBody('b', text), contentType)).toBeNull();
  });
});

describe('useBufferedMultipart (through yoga.fetch)', () => {
  const yoga = createYoga<BufferedBodyContext>({
    schema: createSchema({
      typeDefs: 'scalar Upload type Query { ok: Boolean } type Mutation { size(file: Upload!): String }',
      resolvers: { Mutation: { size: async (_: unknown, { file }: { file: File }) => `${file.name}:${(await file.arrayBuffer()).byteLength}` } },
    }),
    plugins: [useBufferedMultipart()],
    maxRequestBodySize: false,
  });
  const post = async (body: Uint8Array, contentType: string, rawBody?: Uint8Array) =>
    (await yoga.fetch('http://yoga.test/graphql', { method: 'POST', headers: { 'content-type': contentType }, body: body as BodyInit }, { rawBody })).json();

  it('answers the same with the buffered body as Yoga does alone, and still refuses what Yoga refuses', async () => {
    const { body, contentType } = await undiciBody([
      ['operations', '{"query":"mutation ($f: Upload!) { size(file: $f) }","variables":{"f":null}}'],
      ['map', '{"0":["variables.f"]}'],
      ['0', new File([new Uint8Array(1234)], 'ktp.png', { type: 'image/png' })],
    ]);
    const expected = { data: { size: 'ktp.png:1234' } };
    expect(await post(body, contentType, body)).toEqual(expected);
    expect(await post(body, contentType)).toEqual(expected);

    const broken = handBody('b', '--BOUNDARY\nContent-Disposition: form-data; name="map"\n\n{}\n--BOUNDARY--\n');
    const refusal = await post(broken, 'multipart/form-data; boundary=b', broken);
    expect(refusal).toEqual(await post(broken, 'multipart/form-data; boundary=b'));
    expect(JSON.stringify(refusal)).toContain('Missing multipart form field \\"operations\\"');
  });
});
