import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type GraphQLError as GraphQLErrorType } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryLimitsOptions {
  /**
   * Tokens the parser reads before it gives up, comments not counted (they cost only a linear
   * scan). Default 1000: GraphiQL's introspection query is under 200, `recognizeKtp` with every
   * field about 110. The first line of defence: nothing big is ever built or validated.
   */
  maxTokens?: number;
  /** Depth of an operation, fragment spreads counting one level each. Default 10 (ours need 4; introspection is exempt). */
  maxDepth?: number;
  /** Aliases in one operation, fragments included. Default 15. */
  maxAliases?: number;
  /** Directives in one operation. Default 50. */
  maxDirectives?: number;
  /** graphql-armor's cost (objects 2, scalars 1, ×1.5 per level). Default 5000; ours cost under 300. */
  maxCost?: number;
}

export const QUERY_LIMIT_DEFAULTS: Required<QueryLimitsOptions> = {
  maxTokens: 1000,
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxCost: 5000,
};

/**
 * The ecosystem's protections against expensive documents (graphql-armor), with our defaults, and
 * a guard that turns a call stack overflow in parsing or validation into a GraphQL error: a
 * document nested deeper than the engine's recursion gets a 4xx with a short message, never a
 * 500 with a stack trace in the log. With the token limit on, such a document never gets that
 * far; the guard holds when an operator raises the limit.
 *
 * Each limit is refused with a GraphQL error (`Syntax Error: ... limit of N exceeded`), before
 * anything runs. The armor rules are memoised per fragment, so their cost is linear in the
 * document, and a comment (which defeats Yoga's document cache) buys nothing: every document is
 * cheap to refuse the first time.
 */
export function useQueryLimits(options: QueryLimitsOptions = {}): Plugin {
  const limits = { ...QUERY_LIMIT_DEFAULTS, ...definedOnly(options) };
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: limits.maxTokens }));
      addPlugin(maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true }));
      // graphql-armor lets `__typename` aliases through by default; each is still work, so every alias counts.
      addPlugin(maxAliasesPlugin({ n: limits.maxAliases, allowList: [] }));
      addPlugin(maxDirectivesPlugin({ n: limits.maxDirectives }));
      addPlugin(costLimitPlugin({ maxCost: limits.maxCost, ignoreIntrospection: true }));
    },
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (isStackOverflow(result)) replaceParseResult(tooDeep());
      };
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => {
        try {
          return validateFn(...args);
        } catch (error) {
          if (isStackOverflow(error)) return [tooDeep()];
          // graphql-armor's rules throw on the first limit passed, which stops the rest of the
          // validation at once; answered as validation errors, so clients get their usual 400.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      });
    },
  };
}

function tooDeep(): GraphQLErrorType {
  return new GraphQLError('Syntax Error: the document is nested too deeply.', { extensions: { code: 'QUERY_TOO_DEEP' } });
}

function isStackOverflow(value: unknown): boolean {
  return value instanceof RangeError && /call stack/i.test(value.message);
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
