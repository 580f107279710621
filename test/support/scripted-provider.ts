import type { KtpProvider } from '../../src/providers/provider.ts';
import type { ImageInfo } from '../../src/providers/provider.ts';
import type { ProviderOutcome } from '../../src/outcome.ts';
import type { RawKtpFields } from '../../src/ktp/raw-fields.ts';
import { SAMPLE_IDENTITY } from './fake-ekycpro.ts';

/** An in-process provider for recognizer and schema tests: answers what `answer` says, counts calls. */
export interface ScriptedProvider extends KtpProvider {
  calls: { bytes: Uint8Array; image: ImageInfo; signal: AbortSignal | undefined; client: string | undefined }[];
  answer: (call: number) => ProviderOutcome | Promise<ProviderOutcome>;
}

const SAMPLE_FIELDS: RawKtpFields = { ...SAMPLE_IDENTITY };

export function identity(fields: Partial<RawKtpFields> = {}): ProviderOutcome {
  return { kind: 'identity', fields: { ...SAMPLE_FIELDS, ...fields }, charged: true };
}

export function scriptedProvider(name = 'scripted', answer: ScriptedProvider['answer'] = () => identity()): ScriptedProvider {
  const provider: ScriptedProvider = {
    name,
    calls: [],
    answer,
    async recognize(bytes, image, signal, options) {
      const n = provider.calls.push({ bytes, image, signal, client: options?.client }) - 1;
      return provider.answer(n);
    },
  };
  return provider;
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
