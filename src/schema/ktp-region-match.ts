import type { KtpRegionMatchData } from '../ktp/identity.ts';
import { builder } from './builder.ts';
import { KtpOfficialName } from './ktp-official-name.ts';

export const KtpRegionMatch = builder.objectRef<KtpRegionMatchData>('KtpRegionMatch').implement({
  description:
    'The Kemendagri regions the printed province, regency/city, district and village are, each searched under the one above it. Reported beside the printed names, never instead of them; the NIK\'s own region codes play no part.',
  fields: (t) => ({
    province: t.expose('province', { type: KtpOfficialName, nullable: true }),
    regency: t.expose('regency', { type: KtpOfficialName, nullable: true, description: 'The regency or city (`KABUPATEN ...`, `KOTA ...`).' }),
    district: t.expose('district', { type: KtpOfficialName, nullable: true, description: 'Kecamatan; only under a matched regency.' }),
    village: t.expose('village', { type: KtpOfficialName, nullable: true, description: 'Kelurahan/desa; only under a matched district.' }),
  }),
});
