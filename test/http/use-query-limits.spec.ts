import { getIntrospectionQuery } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createDocumentCache } from '../../src/http/document-cache.ts';
import { useQueryLimits, type QueryLimitsOptions } from '../../src/http/use-query-limits.ts';

function setup(options: QueryLimitsOptions = {}) {
  let runs = 0;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Node { id: Int!, next: Node }
        type Query { ping: String!, node: Node }
      `,
      resolvers: {
        Query: {
          ping: () => {
            runs++;
            return 'pong';
          },
          node: () => null,
        },
      },
    }),
    plugins: [useQueryLimits(options)],
    logging: false,
  });
  const post = async (query: string) => {
    const response = await yoga.fetch('http://yoga.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, body, message: body.errors?.map((e) => e.message).join(' | ') ?? '' };
  };
  return { post, runs: () => runs };
}

const nested = (depth: number) => `{ node { ${'next { '.repeat(depth)}id${' }'.repeat(depth)} } }`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ping`).join(' ')} }`;

describe('useQueryLimits', () => {
  it('lets ordinary documents and the introspection query through with the defaults', async () => {
    const { post } = setup();
    expect((await post('{ ping node { id next { id } } }')).body.errors).toBeUndefined();
    expect((await post(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }))).body.errors).toBeUndefined();
  });

  it('refuses a document over the token limit while parsing, before anything runs', async () => {
    const { post, runs } = setup({ maxTokens: 100 });
    const { status, message } = await post(aliases(60));
    expect(status).toBe(400);
    expect(message).toBe('Syntax Error: Token limit of 100 exceeded.');
    expect(runs()).toBe(0);
  });

  it('does not count comments as tokens, and a comment does not get a refused document through', async () => {
    const { post } = setup({ maxTokens: 100, maxAliases: 100 });
    const comment = `# ${'x'.repeat(5_000)}\n`;
    expect((await post(`${comment}{ ping }`)).body.errors).toBeUndefined();
    // Each variant is a new string (Yoga's document cache misses), and each is refused the same way.
    for (const n of [1, 2, 3]) expect((await post(`${aliases(60)} # ${n}`)).message).toBe('Syntax Error: Token limit of 100 exceeded.');
  });

  it('answers a document nested 10,000 deep with a 400, within the token limit', async () => {
    const { status, message } = await setup().post(nested(10_000));
    expect(status).toBe(400);
    expect(message).toBe('Syntax Error: Token limit of 1000 exceeded.');
  });

  it('answers a stack overflow in the parser with a 400 GraphQL error when the token limit is raised', async () => {
    const { status, body } = await setup({ maxTokens: 10_000_000 }).post(nested(10_000));
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ message: 'Syntax Error: the document is nested too deeply.', extensions: { code: 'QUERY_TOO_DEEP' } }]);
  });

  it('answers a stack overflow in validation (a 10,000-fragment chain) with a 400 GraphQL error', async () => {
    let document = '{ ...F10000 }\nfragment F0 on Query { ping }\n';
    for (let i = 1; i <= 10_000; i++) document += `fragment F${i} on Query { ...F${i - 1} }\n`;
    const { status, body } = await setup({ maxTokens: 10_000_000, maxDepth: 1_000_000 }).post(document);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuses depth, aliases, directives and cost over their limits', async () => {
    const { post, runs } = setup({ maxDepth: 4, maxAliases: 3, maxDirectives: 2, maxCost: 20 });
    expect((await post(nested(2))).body.errors).toBeUndefined();
    expect((await post(nested(4))).message).toBe('Syntax Error: Query depth limit of 4 exceeded, found 6.');
    expect((await post(aliases(4))).message).toBe('Syntax Error: Aliases limit of 3 exceeded, found 4.');
    // graphql-armor exempts `__typename` aliases by default; each is work all the same.
    expect((await post('{ a: __typename b: __typename c: __typename d: __typename }')).message).toBe('Syntax Error: Aliases limit of 3 exceeded, found 4.');
    expect((await post('{ ping @skip(if: false) @include(if: true) @skip(if: false) }')).message).toBe(
      'Syntax Error: Directives limit of 2 exceeded, found 3.',
    );
    const costly = setup({ maxCost: 20 });
    const twoChains = '{ a: node { id next { id next { id } } } b: node { id next { id next { id } } } }';
    expect((await costly.post(twoChains)).message).toMatch(/^Syntax Error: Query Cost limit of 20 exceeded, found [\d.]+\.$/);
    expect(runs() + costly.runs()).toBe(0);
  });

  it('refuses a fragment-doubling chain by depth, each copy of it, however it is commented', async () => {
    let document = '{ ...F40 }\nfragment F0 on Query { ping }\n';
    for (let i = 1; i <= 40; i++) document += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
    const { post, runs } = setup();
    for (const n of [1, 2]) {
      const { status, message } = await post(`${document}# ${n}`);
      expect(status).toBe(400);
      expect(message).toBe('Syntax Error: Query depth limit of 10 exceeded, found 83.');
    }
    expect(runs()).toBe(0);
  });
});

describe('createDocumentCache', () => {
  it('keeps short documents and never long ones (V8 hashes strings over 16,383 characters by length alone)', () => {
    const cache = createDocumentCache<string>({ maxChars: 10 });
    cache.set('{ a }', 'short');
    cache.set('{ a } # padded', 'long');
    expect(cache.get('{ a }')).toBe('short');
    expect(cache.get('{ a } # padded')).toBeUndefined();
  });
});
