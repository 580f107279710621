import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';

const SECRET_NAME = 'ktp-of-3171024302821001.jpg';
const SECRET_TEXT = '3171024302821001 BUDI';

function gateway() {
  const provider = scriptedProvider();
  return { provider, gateway: createGateway({ config: loadConfig({ KTP_PROVIDER: 'ekycpro' }), provider }) };
}

async function send(init: RequestInit): Promise<{ status: number; text: string; messages: string[] }> {
  const { gateway: gw } = gateway();
  const response = await gw.yoga.fetch('http://gateway.test/graphql', init);
  const text = await response.text();
  return { status: response.status, text, messages: (JSON.parse(text) as { errors?: { message: string }[] }).errors?.map((e) => e.message) ?? [] };
}

function json(query: string, variables: Record<string, unknown>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) };
}

const RECOGNIZE = 'mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }';

describe('error messages never echo what the client sent', () => {
  it('a file mapped inside an object: neither the file object nor its name is printed', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: RECOGNIZE, variables: { image: { inner: null } } }));
    form.append('map', JSON.stringify({ 0: ['variables.image.inner'] }));
    form.append('0', new File([new Uint8Array([1, 2, 3])], SECRET_NAME, { type: 'image/jpeg' }));
    const { status, text, messages } = await send({ method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' }, body: form });
    expect(status).toBe(400);
    expect(messages).toEqual([
      'Variable "$image" got an invalid value; Upload expects a file sent as a multipart request (see the README), not an inline value',
    ]);
    expect(text).not.toContain(SECRET_NAME);
    expect(text).not.toContain('blobParts');
  });

  it('an inline string or object for the image: the value is cut, our reason stays', async () => {
    for (const image of [SECRET_TEXT, { name: SECRET_NAME, nik: SECRET_TEXT }]) {
      const { status, text, messages } = await send(json(RECOGNIZE, { image }));
      expect(status).toBe(400);
      expect(messages).toEqual([
        'Variable "$image" got an invalid value; Upload expects a file sent as a multipart request (see the README), not an inline value',
      ]);
      expect(text).not.toContain('3171024302821001');
    }
  });

  it('a value written inline in the document: the literal is cut, our reason stays', async () => {
    const { text, messages } = await send(json(`mutation { recognizeKtp(image: "${SECRET_TEXT}") { __typename } }`, {}));
    expect(messages).toEqual(['Upload cannot be written inline; send the file as a multipart request variable']);
    expect(text).not.toContain('3171024302821001');
    // graphql-js's "Expected value of type ..., found <the literal>" loses the literal.
    const nullLiteral = await send(json('mutation { recognizeKtp(image: null) { __typename } }', {}));
    expect(nullLiteral.messages).toEqual(['Expected value of type "Upload!", found an invalid value; it does not match the expected type.']);
  });

  it("graphql-js's own reasons, which quote the value, are replaced", async () => {
    const { text, messages } = await send(json('mutation ($image: Upload!) { recognizeKtp(image: $image) { __typename } }', { image: [SECRET_TEXT] }));
    expect(text).not.toContain('3171024302821001');
    expect(messages[0]).toMatch(/^Variable "\$image" got an invalid value; /);
  });

  it('leaves messages that quote nothing alone', async () => {
    const { messages } = await send(json('{ nothingHere }', {}));
    expect(messages).toEqual(['Cannot query field "nothingHere" on type "Query".']);
  });
});
