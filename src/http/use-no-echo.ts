import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface NoEchoOptions {
  /**
   * Reasons that are ours and quote nothing the client sent (the `Upload` and `Date` scalars'
   * messages): kept after the redacted value so the client still learns what to fix. Any other
   * reason (graphql-js's "String cannot represent a non string value: <the value>") is replaced.
   */
  safeReasons?: readonly string[];
}

/**
 * graphql-js prints a bad variable or literal into its error message: `Variable "$image" got
 * invalid value { name: "ktp-of-budi.jpg", blobParts: ... }`. A variable may hold a file object,
 * its filename or a NIK, and an error message travels to logs and dashboards, so the value is
 * cut out of every error before it is answered. What is left names the variable and the reason.
 */
export function useNoEcho({ safeReasons = [] }: NoEchoOptions = {}): Plugin {
  const redact = (message: string): string => {
    const variable = VARIABLE_VALUE.exec(message);
    if (variable) return `Variable "$${variable[1]}" got an invalid value; ${reasonOf(message)}`;
    const literal = LITERAL_VALUE.exec(message);
    if (literal) return `Expected value of type "${literal[1]}", found an invalid value; ${reasonOf(message)}`;
    return message;
  };
  // graphql-js appends its reason last, after "; ". A reason we do not know may quote the value.
  const reasonOf = (message: string): string =>
    safeReasons.find((reason) => message.endsWith(`; ${reason}`)) ?? 'it does not match the expected type.';
  return {
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || typeof single !== 'object' || !('errors' in single) || !single.errors) continue;
        for (const error of single.errors as GraphQLError[]) {
          const message = redact(error.message);
          // Rewritten in place: extensions, locations and the HTTP status Yoga derived stay as they were.
          if (message !== error.message) (error as { message: string }).message = message;
        }
      }
    },
  };
}

/** graphql-js `coerceVariableValues`: `Variable "$name" got invalid value <inspect(value)>[ at "path"]; <reason>`. */
const VARIABLE_VALUE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
/** graphql-js `ValuesOfCorrectTypeRule`: `Expected value of type "<type>", found <print(literal)>; <reason>`. */
const LITERAL_VALUE = /^Expected value of type "([^"]+)", found /;
