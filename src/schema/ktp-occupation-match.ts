import type { KtpOccupationMatchData } from '../ktp/identity.ts';
import { builder } from './builder.ts';
import { KtpNameMatchEnum } from './ktp-official-name.ts';

export const KtpOccupationMatch = builder.objectRef<KtpOccupationMatchData>('KtpOccupationMatch').implement({
  description: 'Whether the printed occupation is one of the official Dukcapil (SIAK) values. Older free text (`SWASTA`, `PEGAWAI SWASTA`) is not.',
  fields: (t) => ({
    official: t.exposeBoolean('official'),
    code: t.exposeString('code', { nullable: true, description: 'The two-digit classic SIAK code (`15`); null for the newer forms\' values and for unofficial ones.' }),
    officialName: t.exposeString('officialName', { nullable: true }),
    match: t.expose('match', { type: KtpNameMatchEnum, nullable: true }),
  }),
});
