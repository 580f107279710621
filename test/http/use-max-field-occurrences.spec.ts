import { Kind, parse, validate, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { maxFieldOccurrencesRule, useMaxFieldOccurrences } from '../../src/http/use-max-field-occurrences.ts';

function setup(max = 2) {
  let runs = 0;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Result { value: Int!, nested: Nested! }
        type Nested { again: Result }
        type Query { ping: String! }
        type Mutation { recognizeKtp(n: Int): Result!, other: Int! }
      `,
      resolvers: {
        Query: { ping: () => 'pong' },
        Mutation: {
          recognizeKtp: () => ({ value: ++runs, nested: {} }),
          other: () => 0,
        },
        Nested: { again: () => null },
      },
    }),
    plugins: [useMaxFieldOccurrences({ fieldName: 'recognizeKtp', max })],
    logging: false,
  });
  const post = async (query: string) => {
    const response = await yoga.fetch('http://yoga.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
  };
  return { post, runs: () => runs };
}

const TOO_MANY = /at most 2 times; this one selects it 3 times/;

describe('useMaxFieldOccurrences', () => {
  it('lets an operation select the field up to the bound', async () => {
    const { post, runs } = setup(2);
    const { body } = await post('mutation { a: recognizeKtp(n: 1) { value } b: recognizeKtp(n: 2) { value } other }');
    expect(body.errors).toBeUndefined();
    expect(runs()).toBe(2);
  });

  it('refuses aliases beyond the bound at validation, before any resolver runs', async () => {
    const { post, runs } = setup(2);
    const { body } = await post('mutation { a: recognizeKtp { value } b: recognizeKtp { value } c: recognizeKtp { value } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(TOO_MANY);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_RECOGNITIONS');
    expect(runs()).toBe(0);
  });

  it('counts selections hidden in named fragments, inline fragments and repeated spreads', async () => {
    const { post, runs } = setup(2);
    const viaFragments = await post(`
      mutation { ...One ...One ... on Mutation { c: recognizeKtp { value } } }
      fragment One on Mutation { recognizeKtp { value } }
    `);
    expect(viaFragments.body.errors?.[0]?.message).toMatch(TOO_MANY);
    const nested = await post(`
      mutation { ...Two c: recognizeKtp { value } }
      fragment Two on Mutation { ...One b: recognizeKtp { value } }
      fragment One on Mutation { a: recognizeKtp { value } }
    `);
    expect(nested.body.errors?.[0]?.message).toMatch(TOO_MANY);
    expect(runs()).toBe(0);
  });

  it('counts each operation of a document on its own', async () => {
    const { post } = setup(2);
    const { body } = await post(`
      mutation A { a: recognizeKtp { value } b: recognizeKtp { value } }
      mutation B { a: recognizeKtp { value } b: recognizeKtp { value } }
    `);
    // Yoga then asks which operation to run; what matters is that no operation was refused for its count.
    expect(JSON.stringify(body.errors ?? [])).not.toMatch(/at most/);
  });

  it('does not loop on a fragment cycle (left to the spec rule to reject)', async () => {
    const { post, runs } = setup(2);
    const { status, body } = await post(`
      mutation { ...A }
      fragment A on Mutation { recognizeKtp { value } ...B }
      fragment B on Mutation { ...A }
    `);
    expect(status).toBeLessThan(500);
    expect(body.errors?.some((e) => /cycle|itself/i.test(e.message))).toBe(true);
    expect(runs()).toBe(0);
  });

  it('leaves other fields alone', async () => {
    const { post } = setup(1);
    const { body } = await post('{ a: ping b: ping c: ping }');
    expect(body).toEqual({ data: { a: 'pong', b: 'pong', c: 'pong' } });
  });
});

/** `fragment F<n> on Mutation { ...F<n-1> ...F<n-1> }`: 2^levels selections from a few hundred bytes. */
function doublingChain(levels: number): string {
  let document = `mutation { ...F${levels} }\nfragment F0 on Mutation { recognizeKtp { value } }\n`;
  for (let i = 1; i <= levels; i++) document += `fragment F${i} on Mutation { ...F${i - 1} ...F${i - 1} }\n`;
  return document;
}

const SCHEMA = createSchema({
  typeDefs: /* GraphQL */ `
    type Result { value: Int!, nested: Result }
    type Query { ping: String! }
    type Mutation { recognizeKtp: Result! }
  `,
});

function errorsOf(document: DocumentNode, max = 2): string[] {
  return validate(SCHEMA, document, [maxFieldOccurrencesRule({ fieldName: 'recognizeKtp', max })]).map((e) => e.message);
}

describe('useMaxFieldOccurrences on hostile documents', () => {
  it('counts a fragment-doubling chain exactly (2^20 selections)', () => {
    expect(errorsOf(parse(doublingChain(20)))).toEqual([
      'An operation may select "recognizeKtp" at most 2 times; this one selects it 1048576 times.',
    ]);
  });

  it('counts a 60-level doubling chain without walking its 2^60 paths, saturating the figure', () => {
    // A walk that follows every path never returns from this document: the test would time out.
    expect(errorsOf(parse(doublingChain(60)))).toEqual([
      'An operation may select "recognizeKtp" at most 2 times; this one selects it more than 1000000000 times.',
    ]);
  });

  it('follows a chain of 10,000 fragments without overflowing the stack', () => {
    let document = 'mutation { ...F10000 }\nfragment F0 on Mutation { a: recognizeKtp { value } b: recognizeKtp { value } c: recognizeKtp { value } }\n';
    for (let i = 1; i <= 10_000; i++) document += `fragment F${i} on Mutation { ...F${i - 1} }\n`;
    expect(errorsOf(parse(document))).toEqual(['An operation may select "recognizeKtp" at most 2 times; this one selects it 3 times.']);
  });

  it('walks a selection nested 10,000 deep without overflowing the stack', () => {
    // Built as an AST: graphql-js's own recursive parser could not read this document.
    let inner: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [field('value')] };
    for (let i = 0; i < 10_000; i++) inner = { kind: Kind.SELECTION_SET, selections: [field('nested', inner)] };
    const recognitions = ['a', 'b', 'c'].map((alias) => field('recognizeKtp', inner, alias));
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: 'mutation' as never, selectionSet: { kind: Kind.SELECTION_SET, selections: recognitions } }],
    };
    expect(errorsOf(document)).toEqual(['An operation may select "recognizeKtp" at most 2 times; this one selects it 3 times.']);
  });

  it('counts a fragment spread from two operations once per operation', () => {
    const errors = errorsOf(
      parse(`
        mutation A { ...R }
        mutation B { ...R ...R }
        fragment R on Mutation { a: recognizeKtp { value } b: recognizeKtp { value } }
      `),
    );
    expect(errors).toEqual(['An operation may select "recognizeKtp" at most 2 times; this one selects it 4 times.']);
  });
});

function field(name: string, selectionSet?: SelectionSetNode, alias?: string): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
    ...(selectionSet ? { selectionSet } : {}),
  };
}
