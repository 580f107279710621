import type { OfficialNameData } from '../ktp/identity.ts';
import { builder } from './builder.ts';

export const KtpNameMatchEnum = builder.enumType('KtpNameMatch', {
  description: 'How a printed value matched an official entry. Neither ever rewrites the printed value.',
  values: {
    EXACT: { description: 'The same letters, case, spaces and punctuation aside (`KABUPATEN BATUBARA` is `KABUPATEN BATU BARA`).' },
    LOOK_ALIKE: { description: 'The same but for characters a recogniser confuses (`0`/`O`, `1`/`I`, `5`/`S`): compare before relying on it.' },
  } as const,
});

export const KtpOfficialName = builder.objectRef<OfficialNameData>('KtpOfficialName').implement({
  description: 'An official entry (Kemendagri region, Dukcapil value) that a printed value matched.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The official code, without dots (`32`, `3273`, `327301`, `3273011001`).' }),
    name: t.exposeString('name', { description: 'The official name, uppercased, which may differ from the printed one (`KOTA ADMINISTRASI JAKARTA SELATAN`).' }),
    match: t.expose('match', { type: KtpNameMatchEnum }),
  }),
});
