import type { Box, RawKtpFields } from '../ktp/raw-fields.ts';
import { builder } from './builder.ts';
import { KtpBox } from './ktp-box.ts';

/** Where one field was read; `field` is a `RawKtpFields` key, like `KtpFieldConfidence.field`. */
export interface FieldBoxData {
  field: keyof RawKtpFields;
  box: Box;
}

export const KtpFieldBox = builder.objectRef<FieldBoxData>('KtpFieldBox').implement({
  description: 'Where one field was read on the image, for drawing it over the card (a review page) or cropping it.',
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'The field\'s key in `KtpRawFields` (`id` is the NIK), the same key as in `confidence` and `fieldWarnings`.',
    }),
    box: t.expose('box', { type: KtpBox }),
  }),
});
