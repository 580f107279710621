import { describe, expect, it } from 'vitest';
import { normaliseIdentity } from '../../src/ktp/normalise.ts';
import type { FieldConfidence, RawKtpFields } from '../../src/ktp/raw-fields.ts';

const TODAY = new Date('2025-06-15T08:00:00Z');

/** A synthetic card: made-up name and serial, real region codes. */
const CARD: RawKtpFields = {
  name: 'BUDI CONTOH SANTOSO',
  id: '3273011505900001',
  pob: 'BANDUNG',
  dob: '15-05-1990',
  gender: 'LAKI-LAKI',
  address: 'JL. CONTOH RAYA NO. 12',
  rt: '001',
  rw: '002',
  village: 'GEGERKALONG',
  district: 'SUKASARI',
  religion: 'ISLAM',
  marital_status: 'KAWIN',
  work: 'KARYAWAN SWASTA',
  nationnality: 'WNI',
  city: 'KOTA BANDUNG',
  province: 'JAWA BARAT',
};

const EMPTY: RawKtpFields = {
  name: '', id: '', pob: '', dob: '', gender: '', address: '', rt: '', rw: '', village: '', district: '',
  religion: '', marital_status: '', work: '', nationnality: '', city: '', province: '',
};

describe('normaliseIdentity', () => {
  it('normalises a clean answer from the paid API', () => {
    const identity = normaliseIdentity(CARD, { name: 0.98, id: 0.99 }, TODAY);
    expect(identity).toEqual({
      nik: '3273011505900001',
      name: 'BUDI CONTOH SANTOSO',
      birthPlace: 'BANDUNG',
      birthDate: '1990-05-15',
      gender: 'MALE',
      bloodType: null,
      address: {
        street: 'JL. CONTOH RAYA NO. 12',
        rt: '001',
        rw: '002',
        village: 'GEGERKALONG',
        district: 'SUKASARI',
        city: 'KOTA BANDUNG',
        province: 'JAWA BARAT',
        region: {
          province: { code: '32', name: 'JAWA BARAT', match: 'EXACT' },
          regency: { code: '3273', name: 'KOTA BANDUNG', match: 'EXACT' },
          district: { code: '327301', name: 'SUKASARI', match: 'EXACT' },
          village: { code: expect.stringMatching(/^327301\d{4}$/), name: 'GEGERKALONG', match: 'EXACT' },
        },
      },
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
      occupation: 'KARYAWAN SWASTA',
      occupationMatch: { official: true, code: '15', officialName: 'KARYAWAN SWASTA', match: 'EXACT' },
      nationality: 'WNI',
      validForLife: null,
      validUntil: null,
      issueCity: null,
      issueDate: null,
      nikCheck: expect.objectContaining({ valid: true, warnings: [], birthDateMatchesCard: true, genderMatchesCard: true }),
      confidence: [
        { field: 'id', confidence: 0.99 },
        { field: 'name', confidence: 0.98 },
      ],
      fieldWarnings: [],
      raw: CARD,
    });
  });

  it('hands back the raw answer untouched', () => {
    const raw = { ...CARD, religion: 'KATHOLIK' };
    const identity = normaliseIdentity(raw, undefined, TODAY);
    expect(identity.raw).toBe(raw);
    expect(identity.raw.religion).toBe('KATHOLIK');
    expect(identity.religion).toBe('KATOLIK');
  });

  it('turns every empty or blank field into null, and an empty card into no address', () => {
    const identity = normaliseIdentity({ ...EMPTY, name: '   ' }, undefined, TODAY);
    expect(identity).toMatchObject({
      nik: '', name: null, birthPlace: null, birthDate: null, gender: null, bloodType: null, address: null,
      religion: null, maritalStatus: null, occupation: null, nationality: null,
      validForLife: null, validUntil: null, issueCity: null, issueDate: null, confidence: [],
    });
    expect(identity.nikCheck.valid).toBe(false);
  });

  it('keeps an address when any one part of it is known', () => {
    expect(normaliseIdentity({ ...EMPTY, rt: '006' }, undefined, TODAY).address).toEqual({
      street: null, rt: '006', rw: null, village: null, district: null, city: null, province: null, region: null,
    });
  });

  it('reads the NIK as digits, repairing OCR-A slips', () => {
    const identity = normaliseIdentity({ ...CARD, id: '3273 O115 O59O OOO1' }, undefined, TODAY);
    expect(identity.nik).toBe('3273011505900001');
    expect(identity.nikCheck.valid).toBe(true);
  });

  it('maps the closed sets through OCR slips, flagging each value that is not the card\'s own wording', () => {
    const raw = {
      ...CARD, gender: 'LAKI', religion: 'lSLAM', marital_status: 'BELUMKAWIN', nationnality: 'WN1',
      work: 'PNS', blood_type: '0+', valid_until: 'SEUMURHIDUP',
    };
    const identity = normaliseIdentity(raw, undefined, TODAY);
    expect(identity).toMatchObject({
      gender: 'MALE', religion: 'ISLAM', maritalStatus: 'BELUM_KAWIN', nationality: 'WNI',
      occupation: 'PNS', bloodType: 'O+', validForLife: true, validUntil: null,
      occupationMatch: { official: false, code: null, officialName: null, match: null },
    });
    // Spacing aside, BELUMKAWIN and SEUMURHIDUP are the card's wording: no warning for them.
    expect(identity.fieldWarnings.map((w) => w.field).sort()).toEqual(['blood_type', 'gender', 'nationnality', 'religion']);
    expect(identity.raw).toBe(raw);
  });

  it('prints the occupation as read, and says beside it whether it is an official value', () => {
    const cases: [string, object][] = [
      ['PEGAWAI SWASTA', { official: false, code: null }],
      ['SWASTA', { official: false, code: null }],
      ['PETANI', { official: false, code: null }],
      ['TIDAK BEKERJA', { official: false, code: null }],
      ['PEGAWAI NEGERI SIPIL', { official: false, code: null }],
      ['PETANI/PEKEBUN', { official: true, code: '09', officialName: 'PETANI/PEKEBUN', match: 'EXACT' }],
      ['WlRASWASTA', { official: true, code: '88', officialName: 'WIRASWASTA', match: 'LOOK_ALIKE' }],
      ['TEKNISI', { official: true, code: null, officialName: 'TEKNISI', match: 'EXACT' }],
    ];
    for (const [work, match] of cases) {
      const identity = normaliseIdentity({ ...CARD, work }, undefined, TODAY);
      expect(identity.occupation, work).toBe(work);
      expect(identity.occupationMatch, work).toMatchObject(match);
    }
  });

  it('maps off-format values that name one value unambiguously, and flags them', () => {
    const identity = normaliseIdentity({
      ...CARD, dob: '19/12/1972', gender: 'MALE', nationnality: 'INDONESIA', valid_until: '19-12- 2030',
    }, undefined, TODAY);
    expect(identity).toMatchObject({ birthDate: '1972-12-19', gender: 'MALE', nationality: 'WNI', validForLife: false, validUntil: '2030-12-19' });
    expect(identity.fieldWarnings.map((w) => w.field).sort()).toEqual(['dob', 'gender', 'nationnality', 'valid_until']);
    expect(identity.raw.dob).toBe('19/12/1972');
  });

  it('reads a country in Kewarganegaraan as a foreign national (WNA card), without a warning', () => {
    const identity = normaliseIdentity({ ...CARD, nationnality: 'JEPANG', valid_until: '01-02-2030' }, undefined, TODAY);
    expect(identity).toMatchObject({ nationality: 'WNA', validForLife: false, validUntil: '2030-02-01', fieldWarnings: [] });
  });

  it('flags a value that names nothing, and keeps it in raw only', () => {
    const identity = normaliseIdentity({ ...CARD, gender: 'XYZZY' }, undefined, TODAY);
    expect(identity.gender).toBeNull();
    expect(identity.fieldWarnings).toEqual([{ field: 'gender', message: expect.stringContaining('kept as printed') }]);
  });

  it('keeps a NIK the paid provider sent that is not 16 digits, and names its problems', () => {
    for (const id of ['327301150590', '32730115059000012', '3273XXXXXXXX0001']) {
      const identity = normaliseIdentity({ ...CARD, id }, undefined, TODAY);
      expect(identity.nik).toBe(id);
      expect(identity.nikCheck.valid).toBe(false);
      expect(identity.nikCheck.problems.length).toBeGreaterThan(0);
    }
  });

  it('answers null for closed-set values it does not know, keeping them in raw', () => {
    const raw = { ...CARD, gender: 'ALIEN', religion: 'JEDI', marital_status: '???', nationnality: 'MARS', blood_type: 'Z' };
    const identity = normaliseIdentity(raw, undefined, TODAY);
    expect(identity).toMatchObject({ gender: null, religion: null, maritalStatus: null, nationality: null, bloodType: null });
    expect(identity.raw.religion).toBe('JEDI');
  });

  it('keeps an unknown occupation as read', () => {
    expect(normaliseIdentity({ ...CARD, work: ' PENJAHIT  KEBAYA ' }, undefined, TODAY).occupation).toBe('PENJAHIT KEBAYA');
  });

  it('reads the printed unknown blood type as null', () => {
    expect(normaliseIdentity({ ...CARD, blood_type: '-' }, undefined, TODAY).bloodType).toBeNull();
  });

  it('reads an older card’s validity date without calling it expired', () => {
    const identity = normaliseIdentity({ ...CARD, valid_until: '17-08-2017' }, undefined, TODAY);
    expect(identity.validForLife).toBe(false);
    expect(identity.validUntil).toBe('2017-08-17');
  });

  it('reads the issue place and date', () => {
    const identity = normaliseIdentity({ ...CARD, issue_city: 'KOTA BANDUNG', issue_date: '01-02-2012' }, undefined, TODAY);
    expect(identity.issueCity).toBe('KOTA BANDUNG');
    expect(identity.issueDate).toBe('2012-02-01');
  });

  it('prints region names as read, and reports the official regions they match beside them', () => {
    const identity = normaliseIdentity({ ...CARD, province: 'JAWABARAT', city: 'KOTABANDUNG', district: 'SUKASAR1' }, undefined, TODAY);
    expect(identity.address).toMatchObject({
      province: 'JAWABARAT', city: 'KOTABANDUNG', district: 'SUKASAR1',
      region: {
        province: { code: '32', match: 'EXACT' },
        regency: { code: '3273', match: 'EXACT' },
        district: { code: '327301', name: 'SUKASARI', match: 'LOOK_ALIKE' },
      },
    });
  });

  it('never matches a printed name to another place that merely looks close', () => {
    // District PADANGPANJANG is not PARUNG PANJANG; village CILEGON is not CILEGONG.
    const identity = normaliseIdentity({
      ...CARD, province: 'JAWA BARAT', city: 'KABUPATEN BOGOR', district: 'PADANGPANJANG', village: 'CILEGON',
    }, undefined, TODAY);
    expect(identity.address).toMatchObject({ district: 'PADANGPANJANG', village: 'CILEGON' });
    expect(identity.address?.region).toMatchObject({ regency: { code: '3201' }, district: null, village: null });
  });

  it('keeps the printed spacing of a name the tables space differently', () => {
    const identity = normaliseIdentity({ ...CARD, province: 'SUMATERA UTARA', city: 'KABUPATEN BATUBARA' }, undefined, TODAY);
    expect(identity.address).toMatchObject({ city: 'KABUPATEN BATUBARA', region: { regency: { name: 'KABUPATEN BATU BARA', match: 'EXACT' } } });
  });

  it('keeps region names it cannot place as they were read', () => {
    const identity = normaliseIdentity({ ...CARD, province: 'NEGERI ANTAH', city: 'KOTA ANTAH BERANTAH' }, undefined, TODAY);
    expect(identity.address).toMatchObject({ province: 'NEGERI ANTAH', city: 'KOTA ANTAH BERANTAH' });
  });

  it('passes the printed card to the NIK check: a woman’s NIK on a card printed LAKI-LAKI is a warning', () => {
    const identity = normaliseIdentity({ ...CARD, id: '3273015505900001' }, undefined, TODAY);
    expect(identity.nikCheck.valid).toBe(true);
    expect(identity.nikCheck.genderMatchesCard).toBe(false);
    expect(identity.nikCheck.warnings).toHaveLength(1);
  });

  it('warns when the printed address is in another regency than the NIK', () => {
    const identity = normaliseIdentity({ ...CARD, city: 'KABUPATEN BOGOR', district: 'CIBINONG' }, undefined, TODAY);
    expect(identity.nikCheck.valid).toBe(true);
    expect(identity.nikCheck.warnings).toEqual([expect.stringContaining('another regency/city')]);
  });

  it('lists the provider confidences sorted by field, clamped to 0..1, dropping non-numbers', () => {
    const confidence = { work: 0.5, dob: 1.2, name: -0.1, pob: Number.NaN, rt: 'high' } as unknown as FieldConfidence;
    expect(normaliseIdentity(CARD, confidence, TODAY).confidence).toEqual([
      { field: 'dob', confidence: 1 },
      { field: 'name', confidence: 0 },
      { field: 'work', confidence: 0.5 },
    ]);
  });
});

describe('normaliseIdentity is total', () => {
  /** Deterministic, so a failure reproduces. */
  function prng(seed: number): () => number {
    return () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
  }

  const PIECES = [
    'A', 'z', '0', '9', ' ', '-', '/', '.', ':', '|', '?', '\t', '\n', '\u0000', '\u200b', '\u202e',
    'é', 'e\u0301', 'ß', 'ﬁ', 'İ', '１', '٣', '中', '👍🏽', '\ud800', '\udfff', '\u{1f1ee}\u{1f1e9}',
    'KAWIN', 'LAKI-LAKI', 'SEUMUR HIDUP', 'KOTA ', 'JAKARTA', '29-02-', '1990', '3273011505900001', '99',
  ];

  function randomText(next: () => number): string {
    if (next() < 0.05) return 'X'.repeat(5000 + Math.floor(next() * 5000));
    const length = Math.floor(next() * 12);
    let text = '';
    for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
    return text;
  }

  const KEYS = [...Object.keys(EMPTY), 'blood_type', 'valid_until', 'issue_city', 'issue_date'] as (keyof RawKtpFields)[];
  const ODD_VALUES: unknown[] = [undefined, null, 42, {}, [], true];

  it('returns a well-formed identity for 400 random answers and never throws', () => {
    const next = prng(20250615);
    for (let run = 0; run < 400; run++) {
      const raw: Record<string, unknown> = {};
      for (const key of KEYS) {
        const roll = next();
        if (roll < 0.1) continue; // missing key
        raw[key] = roll < 0.15 ? ODD_VALUES[Math.floor(next() * ODD_VALUES.length)] : randomText(next);
      }
      const identity = normaliseIdentity(raw as unknown as RawKtpFields, { name: next() }, TODAY);

      // As printed: no separators or spaces, look-alikes read as digits, other characters kept.
      expect(identity.nik).not.toMatch(/[\s.,:;\-_/]/);
      expect(identity.nik).toBe(identity.nik.toUpperCase());
      expect(identity.raw).toBe(raw);
      for (const value of [identity.name, identity.birthPlace, identity.occupation, identity.issueCity]) {
        if (value !== null) expect(value).toBe(value.trim());
        if (value !== null) expect(value).not.toBe('');
      }
      for (const date of [identity.birthDate, identity.issueDate, identity.validUntil, identity.nikCheck.birthDate]) {
        if (date !== null) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(typeof identity.nikCheck.valid).toBe('boolean');
      expect(identity.nikCheck.valid).toBe(identity.nikCheck.problems.length === 0);
      for (const { confidence } of identity.confidence) expect(confidence).toBeGreaterThanOrEqual(0);
    }
  });

  it('survives a raw answer that is not even an object', () => {
    for (const raw of [null, undefined, 'OK', 7]) {
      const identity = normaliseIdentity(raw as unknown as RawKtpFields, undefined, TODAY);
      expect(identity.nik).toBe('');
      expect(identity.address).toBeNull();
    }
  });
});

describe('normaliseIdentity: a NIK the provider was unsure of', () => {
  const RAW = { id: '3308062009880011', dob: '20-09-1988', gender: 'LAKI-LAKI' } as Parameters<typeof normaliseIdentity>[0];
  const TODAY = new Date(Date.UTC(2025, 5, 30));

  it('lists a NIK reported under 0.95 in nikCheck.warnings, with its confidence', () => {
    const identity = normaliseIdentity(RAW, { id: 0.62 }, TODAY);
    expect(identity.nikCheck.warnings).toContainEqual(expect.stringContaining('unsure of the NIK'));
    expect(identity.nikCheck.warnings.join(' ')).toContain('0.62');
  });

  it('adds nothing for a sure NIK, nor when the provider reports no confidence', () => {
    const unsure = (c: Parameters<typeof normaliseIdentity>[1]) => normaliseIdentity(RAW, c, TODAY).nikCheck.warnings.filter((w) => w.includes('unsure'));
    expect(unsure({ id: 0.97 })).toEqual([]);
    expect(unsure(undefined)).toEqual([]);
    expect(unsure({ name: 0.2 })).toEqual([]);
  });
});
