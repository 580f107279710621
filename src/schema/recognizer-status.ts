import { builder } from './builder.ts';

interface RecognizerStatus {
  provider: string;
  ready: boolean;
}

const RecognizerStatusRef = builder.objectRef<RecognizerStatus>('KtpRecognizerStatus').implement({
  description: 'Which provider answers `recognizeKtp` and whether it can answer now.',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: '`local` (embedded offline engine) or `ekycpro` (the paid API).' }),
    ready: t.exposeBoolean('ready', { description: 'False while the local engine warms up, or when the paid API has no key.' }),
  }),
});

builder.queryField('ktpRecognizerStatus', (t) =>
  t.field({
    type: RecognizerStatusRef,
    resolve: (_root, _args, { recognizer }) => ({
      provider: recognizer.provider.name,
      ready: recognizer.provider.isReady?.() ?? true,
    }),
  }),
);
