import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';
import { scriptedProvider } from '../support/scripted-provider.ts';

/** The production switches, through the gateway's own fetch handler (no socket needed). */
function gateway(env: Record<string, string>) {
  const gw = createGateway({ config: loadConfig(env), provider: scriptedProvider() });
  return async (path: string, query: string) => {
    const response = await gw.handler.handle(
      new Request(`http://ktp.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }),
    );
    const text = await response.text();
    return { status: response.status, text, body: text ? (JSON.parse(text) as { data?: any; errors?: { message: string }[] }) : undefined };
  };
}

const INTROSPECTION = '{ __schema { queryType { name } } }';
const TYPO = '{ ktpRecognizerStatus { provder } }';
const SERVICE = '{ _service { sdl } }';

describe('production hardening switches', () => {
  it('outside production: introspection, "Did you mean" and the subgraph path are on', async () => {
    const post = gateway({});
    expect((await post('/graphql', INTROSPECTION)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await post('/graphql', TYPO)).body?.errors?.[0]?.message).toBe(
      'Cannot query field "provder" on type "KtpRecognizerStatus". Did you mean "provider"?',
    );
    expect((await post('/subgraph', SERVICE)).body?.data?._service.sdl).toContain('recognizeKtp');
  });

  it('under NODE_ENV=production: no introspection, no suggestions, no subgraph path; __typename still answers', async () => {
    const post = gateway({ NODE_ENV: 'production' });
    const introspection = await post('/graphql', INTROSPECTION);
    expect(introspection.body?.data).toBeUndefined();
    expect(introspection.body?.errors?.[0]?.message).toBe('GraphQL introspection has been disabled, but the requested query contained the field "__schema".');
    const typo = await post('/graphql', TYPO);
    expect(typo.body?.errors?.[0]?.message).toBe('Cannot query field "provder" on type "KtpRecognizerStatus". [Suggestion hidden]');
    expect(typo.text).not.toContain('"provider"');
    expect((await post('/subgraph', SERVICE)).status).toBe(404);
    expect((await post('/graphql', SERVICE)).body?.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await post('/graphql', '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('lets the platform team turn each back on in production', async () => {
    const post = gateway({ NODE_ENV: 'production', INTROSPECTION: 'true', FIELD_SUGGESTIONS: 'true', SUBGRAPH_PATH: '/internal/ktp-subgraph' });
    expect((await post('/graphql', INTROSPECTION)).body?.data?.__schema.queryType.name).toBe('Query');
    expect((await post('/graphql', TYPO)).body?.errors?.[0]?.message).toMatch(/Did you mean "provider"\?/);
    expect((await post('/internal/ktp-subgraph', SERVICE)).body?.data?._service.sdl).toContain('recognizeKtp');
    expect((await post('/subgraph', SERVICE)).status).toBe(404);
  });

  it('hides the subgraph’s schema from introspection too when introspection is off (it is served to gateways as _service)', async () => {
    const post = gateway({ INTROSPECTION: 'false' });
    expect((await post('/subgraph', INTROSPECTION)).body?.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await post('/subgraph', SERVICE)).body?.data?._service.sdl).toContain('recognizeKtp');
  });
});
