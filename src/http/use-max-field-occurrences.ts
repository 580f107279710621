import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface MaxFieldOccurrencesOptions {
  /** The root field to count, e.g. `recognizeKtp`. */
  fieldName: string;
  /** How many times one operation may select it, aliases and fragments included. */
  max: number;
}

/**
 * Bounds how often one operation may select a field. For `recognizeKtp` each alias is a
 * recognition, so aliases multiply charges; the bound is checked at validation, before anything
 * runs or costs.
 */
export function useMaxFieldOccurrences({ fieldName, max }: MaxFieldOccurrencesOptions): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = new Map(
        context
          .getDocument()
          .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      const count = countField(operation.selectionSet, fieldName, fragments, new Set());
      if (count > max) {
        context.reportError(
          new GraphQLError(`An operation may select "${fieldName}" at most ${max} times; this one selects it ${count} times.`, {
            nodes: [operation],
            extensions: { code: 'TOO_MANY_RECOGNITIONS' },
          }),
        );
      }
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}

function countField(
  selectionSet: SelectionSetNode,
  fieldName: string,
  fragments: Map<string, FragmentDefinitionNode>,
  // Spreads already followed on this path; the spec forbids fragment cycles, but validation rules
  // run side by side, so this rule must not loop on a document that another rule will reject.
  visiting: Set<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === fieldName) count++;
      if (selection.selectionSet) count += countField(selection.selectionSet, fieldName, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countField(selection.selectionSet, fieldName, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment && !visiting.has(name)) {
        visiting.add(name);
        count += countField(fragment.selectionSet, fieldName, fragments, visiting);
        visiting.delete(name);
      }
    }
  }
  return count;
}
