/**
 * How the page names each `KtpRawFields` key: the labels printed on the card, in the card's order.
 * Only display text; the keys themselves come with the answer (`raw`, `fieldBoxes`, `confidence`).
 */
export const FIELD_LABELS: [key: string, label: string][] = [
  ['id', 'NIK'],
  ['name', 'Nama'],
  ['pob', 'Tempat Lahir'],
  ['dob', 'Tgl Lahir'],
  ['gender', 'Jenis Kelamin'],
  ['blood_type', 'Gol. Darah'],
  ['address', 'Alamat'],
  ['rt', 'RT'],
  ['rw', 'RW'],
  ['village', 'Kel/Desa'],
  ['district', 'Kecamatan'],
  ['city', 'Kota/Kabupaten'],
  ['province', 'Provinsi'],
  ['religion', 'Agama'],
  ['marital_status', 'Status Perkawinan'],
  ['work', 'Pekerjaan'],
  ['nationnality', 'Kewarganegaraan'],
  ['valid_until', 'Berlaku Hingga'],
  ['issue_city', 'Tempat Terbit'],
  ['issue_date', 'Tanggal Terbit'],
];

/**
 * Below this the reviewer should look twice. The engine's per-field confidence is the weakest
 * character's; a clean card reads above 0.9 throughout.
 */
export const LOW_CONFIDENCE = 0.9;
