import type { Box } from '../ktp/raw-fields.ts';
import { builder } from './builder.ts';

export const KtpBox = builder.objectRef<Box>('KtpBox').implement({
  description:
    'An axis-aligned rectangle on the image the client sent, in its pixels (after its EXIF orientation is applied), origin top left. Whole pixels, inside the image.',
  fields: (t) => ({
    x: t.exposeInt('x', { description: 'Left edge.' }),
    y: t.exposeInt('y', { description: 'Top edge.' }),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
  }),
});
