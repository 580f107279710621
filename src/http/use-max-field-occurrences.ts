import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
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
 *
 * The count must not be made expensive by the document: a chain of fragments that each spread
 * the previous one twice selects the field 2^n times from n short lines. So each fragment is
 * read once and its total memoised (time linear in the document), and every walk uses an
 * explicit stack, so a document nested 10,000 deep cannot overflow the call stack here.
 */
export function useMaxFieldOccurrences(options: MaxFieldOccurrencesOptions): Plugin {
  const rule = maxFieldOccurrencesRule(options);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}

/** The validation rule itself, for `graphql`'s `validate`. */
export function maxFieldOccurrencesRule({ fieldName, max }: MaxFieldOccurrencesOptions): (context: ValidationContext) => ASTVisitor {
  return (context: ValidationContext): ASTVisitor => {
    // One counter per validation: fragment totals are shared by every operation of the document.
    let counter: FieldCounter | undefined;
    return {
      OperationDefinition(operation) {
        counter ??= createFieldCounter(context.getDocument(), fieldName);
        const count = counter.count(operation.selectionSet);
        if (count > max) {
          const times = count >= SATURATED ? `more than ${SATURATED}` : String(count);
          context.reportError(
            new GraphQLError(`An operation may select "${fieldName}" at most ${max} times; this one selects it ${times} times.`, {
              nodes: [operation],
              extensions: { code: 'TOO_MANY_RECOGNITIONS' },
            }),
          );
        }
      },
    };
  };
}

/** Counts stop growing here: 2^1000 selections need no exact figure, and Infinity would print badly. */
const SATURATED = 1_000_000_000;

interface FieldCounter {
  count(selectionSet: SelectionSetNode): number;
}

/** What one selection set holds, fragments not followed: its own selections, and the spreads with their multiplicity. */
interface Shallow {
  own: number;
  spreads: Map<string, number>;
}

function createFieldCounter(document: DocumentNode, fieldName: string): FieldCounter {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const shallow = (selectionSet: SelectionSetNode): Shallow => {
    const result: Shallow = { own: 0, spreads: new Map() };
    const stack: SelectionSetNode[] = [selectionSet];
    for (let set = stack.pop(); set; set = stack.pop()) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === fieldName) result.own++;
          if (selection.selectionSet) stack.push(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          stack.push(selection.selectionSet);
        } else {
          const name = selection.name.value;
          result.spreads.set(name, (result.spreads.get(name) ?? 0) + 1);
        }
      }
    }
    return result;
  };

  // Each fragment's total, computed once. A fragment on a cycle counts 0 from the point where the
  // cycle closes: the spec rule (NoFragmentCycles) rejects such a document anyway, and this rule
  // must neither loop nor fail on it meanwhile.
  const totals = new Map<string, number>();
  const shallows = new Map<string, Shallow>();
  const shallowOf = (name: string): Shallow | undefined => {
    let known = shallows.get(name);
    if (!known) {
      const fragment = fragments.get(name);
      if (!fragment) return undefined;
      known = shallow(fragment.selectionSet);
      shallows.set(name, known);
    }
    return known;
  };
  const totalOf = (root: string): number => {
    const onPath = new Set<string>();
    // Post-order walk with an explicit stack: a frame is summed once all its spreads are known.
    const stack: { name: string; expanded: boolean }[] = [{ name: root, expanded: false }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (totals.has(frame.name)) {
        stack.pop();
        continue;
      }
      const fragment = shallowOf(frame.name);
      if (!fragment) {
        totals.set(frame.name, 0); // unknown fragment: KnownFragmentNames reports it
        stack.pop();
        continue;
      }
      if (!frame.expanded) {
        frame.expanded = true;
        onPath.add(frame.name);
        for (const name of fragment.spreads.keys()) {
          if (!totals.has(name) && !onPath.has(name)) stack.push({ name, expanded: false });
        }
        continue;
      }
      onPath.delete(frame.name);
      totals.set(frame.name, sum(fragment, (name) => totals.get(name) ?? 0));
      stack.pop();
    }
    return totals.get(root) ?? 0;
  };

  return {
    count(selectionSet) {
      return sum(shallow(selectionSet), totalOf);
    },
  };
}

function sum(shallow: Shallow, totalOf: (fragment: string) => number): number {
  let count = shallow.own;
  for (const [name, times] of shallow.spreads) count = Math.min(SATURATED, count + times * totalOf(name));
  return count;
}
