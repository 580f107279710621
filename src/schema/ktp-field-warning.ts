import type { FieldWarningData } from '../ktp/identity.ts';
import { builder } from './builder.ts';

export const KtpFieldWarning = builder.objectRef<FieldWarningData>('KtpFieldWarning').implement({
  description: 'A value printed off the card\'s format (a date with slashes, `MALE`, `INDONESIA`), mapped when it names one value unambiguously, or left unmapped.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field\'s key in `KtpRawFields`.' }),
    message: t.exposeString('message', { description: 'For people; never quotes the value.' }),
  }),
});
