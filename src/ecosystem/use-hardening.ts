import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';

export interface HardeningOptions {
  /** Answer `__schema` and `__type`. Default true; `INTROSPECTION`, off in production. */
  introspection?: boolean;
  /** Keep graphql-js's "Did you mean …?" hints in errors. Default true; `FIELD_SUGGESTIONS`, off in production. */
  fieldSuggestions?: boolean;
}

/**
 * What a production API does not tell strangers: its schema by introspection, and its field
 * names through "Did you mean" hints in validation errors. Both through the ecosystem's own
 * plugins (Yoga's disable-introspection, graphql-armor's block-field-suggestions), switched by
 * config. `{ __typename }` stays answered: health probes and clients' cache normalisation use it.
 */
export function useHardening({ introspection = true, fieldSuggestions = true }: HardeningOptions = {}): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      if (!introspection) addPlugin(useDisableIntrospection() as Plugin);
      // graphql-armor's plugins are Envelop plugins; Yoga runs them as they are.
      if (!fieldSuggestions) addPlugin(blockFieldSuggestionsPlugin() as Plugin);
    },
  };
}
