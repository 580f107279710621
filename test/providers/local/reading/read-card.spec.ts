import { describe, expect, it } from 'vitest';
import { readCard } from '../../../../src/providers/local/read-card.ts';
import type { OcrPage as ReadablePage } from '../../../../src/providers/local/ocr-line.ts';

/** The identity read from a page, or null when the reader answered not-a-KTP. */
function read(page: ReadablePage) {
  const result = readCard(page);
  return result.kind === 'identity' ? result : null;
}
import type { OcrLine } from '../../../../src/providers/local/ocr-line.ts';
import { engineLine, enginePage, MARIA } from './engine-page.ts';
import type { CardText } from './engine-page.ts';

const MARIA_FIELDS = {
  id: '3174024305900003',
  name: 'MARIA THERESIA',
  pob: 'JAKARTA',
  dob: '03-05-1990',
  gender: 'PEREMPUAN',
  address: 'JL. KEBON JERUK NO. 12',
  rt: '006',
  rw: '003',
  village: 'PETOGOGAN',
  district: 'KEBAYORAN BARU',
  city: 'JAKARTA SELATAN',
  province: 'DKI JAKARTA',
  religion: 'KATOLIK',
  marital_status: 'BELUM KAWIN',
  work: 'KARYAWAN SWASTA',
  nationnality: 'WNI',
  blood_type: 'O',
  valid_until: 'SEUMUR HIDUP',
  issue_city: 'JAKARTA SELATAN',
  issue_date: '12-08-2019',
};

/** Replace the line whose text starts with `prefix` by the given lines. */
const replacing = (prefix: string, by: (line: OcrLine) => OcrLine[]) => (lines: OcrLine[]) =>
  lines.flatMap((l) => (l.text.startsWith(prefix) ? by(l) : [l]));

describe('readCard', () => {
  it('reads every field of a card whose rows came back merged, spaces dropped', () => {
    const result = read(enginePage(MARIA));
    expect(result?.fields).toEqual(MARIA_FIELDS);
  });

  it('gives a confidence between 0 and 1 for every field it read', () => {
    const { confidence, fields } = read(enginePage(MARIA))!;
    for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
      expect(confidence[key]).toBeGreaterThan(0.5);
      expect(confidence[key]).toBeLessThanOrEqual(1);
    }
  });

  it('is less confident of a value the OCR scored low', () => {
    const doubtful = enginePage(MARIA, replacing('Pekerjaan', (l) => [{ ...l, chars: l.chars.map((c) => ({ ...c, score: 0.55 })) }]));
    const sure = read(enginePage(MARIA))!.confidence.work!;
    expect(read(doubtful)!.confidence.work!).toBeLessThan(sure);
  });

  it('reports a NIK under 0.95 when the other readings of its row disagree, and as sure as before when they agree', () => {
    const nik = read(enginePage(MARIA))!.fields.id;
    const other = `${nik.slice(0, 15)}${nik[15] === '7' ? '1' : '7'}`;
    const reread = (...texts: string[]) => replacing('NIK', (l) => [{ ...l, rereads: texts.map((t) => [...t].map((char) => ({ char, score: 0.98 }))) }]);
    const agreed = read(enginePage(MARIA, reread(nik, nik, nik)))!;
    const disputed = read(enginePage(MARIA, reread(nik, other, other)))!;
    expect(agreed.fields.id).toBe(nik);
    expect(disputed.fields.id).toBe(nik);
    expect(disputed.confidence.id).toBeLessThan(0.95);
    expect(agreed.confidence.id).toBeGreaterThan(disputed.confidence.id!);
  });

  it('joins a name and an address that wrap onto a second line', () => {
    const card: CardText = {
      ...MARIA,
      name: ['DR. IR. H. MUHAMMAD RIZKY', 'PRATAMA, S.E., M.M.'],
      address: ['JL. RAYA HAYAM WURUK KM. 7 GG. MANGGA', 'DUA NO. 134'],
      nik: '3174021505900003',
      gender: 'LAKI-LAKI',
    };
    const fields = read(enginePage(card))!.fields;
    expect(fields.name).toBe('DR. IR. H. MUHAMMAD RIZKY PRATAMA, S.E., M.M.');
    expect(fields.address).toBe('JL. RAYA HAYAM WURUK KM. 7 GG. MANGGA DUA NO. 134');
    expect(fields.pob).toBe('JAKARTA');
  });

  it("keeps a street's dots that the recogniser nearly read as commas, and reads a name's degree comma", () => {
    // Blur thins every dot to a speck whose runner-up is a comma: only the one before a degree is one.
    const commaRunnerUp = (l: OcrLine): OcrLine[] => [
      { ...l, chars: l.chars.map((c) => (c.char === '.' ? { ...c, score: 0.96, alternative: { char: ',', score: 0.02 } } : c)) },
    ];
    const card: CardText = { ...MARIA, name: ['MARIA THERESIA. S.KOM'], address: ['DSN. KRAJAN GG. MAWAR NO. 12'] };
    const fields = read(enginePage(card, (lines) => replacing('Alamat', commaRunnerUp)(replacing('Nama', commaRunnerUp)(lines))))!.fields;
    expect(fields.address).toBe('DSN. KRAJAN GG. MAWAR NO. 12');
    expect(fields.name).toBe('MARIA THERESIA, S.KOM');
  });

  it('reads rows whose label, colon and value were detected as separate boxes', () => {
    const split = enginePage(
      MARIA,
      replacing('Nama', (l) => [
        engineLine([{ text: 'Nama', x: 38 }], { y: l.box.y }),
        engineLine([{ text: ':', x: 226 }], { y: l.box.y + 1 }),
        engineLine([{ text: 'MARIA THERESIA', x: 241 }], { y: l.box.y - 1 }),
      ]),
    );
    expect(read(split)?.fields.name).toBe('MARIA THERESIA');
  });

  it('copes with full-width colons the runtime did not fold', () => {
    const fullWidth = enginePage(MARIA, (lines) =>
      lines.map((l) => ({ ...l, text: l.text.replaceAll(':', '\uFF1A'), chars: l.chars.map((c) => ({ ...c, char: c.char === ':' ? '\uFF1A' : c.char })) })),
    );
    expect(read(fullWidth)?.fields).toEqual(MARIA_FIELDS);
  });

  it('reads Gol Darah without the dot and an unknown blood type printed as a dash', () => {
    expect(read(enginePage({ ...MARIA, bloodLabel: 'Gol Darah', blood: '-' }))?.fields.blood_type).toBe('-');
  });

  it('takes a blood-type label with nothing after it for the dash the detector missed', () => {
    const card = read(enginePage({ ...MARIA, blood: '' }));
    // Its confidence is the calibration's: on the tuning cards every such label was the dash
    // (11 of 11), so it is no longer pinned under 0.6 as the reader's own guess was.
    expect(card?.fields.blood_type).toBe('-');
  });

  it('reads a dated Berlaku Hingga and the Kepercayaan label', () => {
    const fields = read(
      enginePage({
        ...MARIA,
        validUntil: '03-05-2017',
        religionLabel: 'Kepercayaan',
        religion: 'KEPERCAYAAN TERHADAP TUHAN YME',
      }),
    )!.fields;
    expect(fields.valid_until).toBe('03-05-2017');
    expect(fields.religion).toBe('KEPERCAYAAN TERHADAP TUHAN YME');
  });

  it('keeps the spelling the card prints when it is an older variant', () => {
    expect(read(enginePage({ ...MARIA, religion: 'KATHOLIK' }))?.fields.religion).toBe('KATHOLIK');
  });

  it('prints a regency header with its prefix and the issue place without it', () => {
    const fields = read(
      enginePage({
        ...MARIA,
        province: 'JAWA BARAT',
        regency: 'KABUPATEN HULU SUNGAI TENGAH'.replace('HULU SUNGAI TENGAH', 'BANDUNG BARAT'),
        nik: '3217014305900003',
        village: 'CIHIDEUNG',
        district: 'PARONGPONG',
        issueCity: 'BANDUNG BARAT',
        birth: 'SERANG, 03-05-1990',
      }),
    )!.fields;
    expect(fields).toMatchObject({
      province: 'JAWA BARAT',
      city: 'KABUPATEN BANDUNG BARAT',
      issue_city: 'BANDUNG BARAT',
      district: 'PARONGPONG',
      village: 'CIHIDEUNG',
      pob: 'SERANG',
    });
  });

  it('reads a row whose label the OCR could not read by its place in the card order', () => {
    const garbled = enginePage(
      MARIA,
      replacing('Pekerjaan', (l) => [engineLine([{ text: 'Pxkxrjxxn', x: 38 }, { text: ':', x: 226 }, { text: 'KARYAWAN SWASTA', x: 241 }], { y: l.box.y })]),
    );
    expect(read(garbled)?.fields.work).toBe('KARYAWAN SWASTA');
  });

  it('reads the NIK when the OCR glued it to its label and misread digits as letters', () => {
    const glued = enginePage(
      MARIA,
      replacing('NIK', (l) => [engineLine([{ text: 'NIK:3I74O2430590OOO3', x: 38 }], { y: l.box.y, size: 32 })]),
    );
    expect(read(glued)?.fields.id).toBe('3174024305900003');
  });

  it('splits place and date of birth when the comma was read as a dot or lost', () => {
    const asDot = read(enginePage({ ...MARIA, birth: 'LIMA PULUH KOTA. 03-05-1990' }))!.fields;
    expect([asDot.pob, asDot.dob]).toEqual(['LIMA PULUH KOTA', '03-05-1990']);
    const lost = read(enginePage({ ...MARIA, birth: 'SERANG03-05-1990' }))!.fields;
    expect([lost.pob, lost.dob]).toEqual(['SERANG', '03-05-1990']);
  });

  it('does not let a truncated label swallow the start of a value in the value column', () => {
    const truncated = enginePage(
      MARIA,
      replacing('Kewarganegaraan', (l) => [
        engineLine([{ text: 'Kewarganegat', x: 38 }], { y: l.box.y }),
        engineLine([{ text: 'WNI', x: 241 }], { y: l.box.y }),
      ]),
    );
    expect(read(truncated)?.fields.nationnality).toBe('WNI');
  });

  it('takes a value detected a little below its label line as that label\'s value', () => {
    const offset = enginePage(
      MARIA,
      replacing('Pekerjaan', (l) => [
        engineLine([{ text: 'Pekerjaan', x: 38 }, { text: ':', x: 226 }], { y: l.box.y }),
        engineLine([{ text: 'KARYAWAN SWASTA', x: 241 }], { y: l.box.y + 0.6 * l.box.height }),
      ]),
    );
    expect(read(offset)?.fields.work).toBe('KARYAWAN SWASTA');
  });

  it('answers not-a-KTP for a card with no NIK row at all', () => {
    expect(readCard(enginePage(MARIA, (lines) => lines.filter((l) => !l.text.startsWith('NIK'))))).toEqual({ kind: 'not-a-ktp', looksLike: 'no-nik' });
  });

  it('reads a card whose NIK is malformed or inconsistent, the NIK as printed', () => {
    for (const nik of ['31740243059', '317402430590', '31740243059000031', '3174XXXXXXXX0003', '3174025505900003']) {
      expect(read(enginePage({ ...MARIA, nik }))?.fields.id, nik).toBe(nik);
    }
  });

  it('reads a placeholder X that the recogniser returned as a multiplication sign as the X it is', () => {
    // OCR-A's X comes back as U+00D7 with x as its runner-up: the card prints no ×.
    expect(read(enginePage({ ...MARIA, nik: '3174\u00d7\u00d7\u00d7\u00d7\u00d7\u00d7\u00d7\u00d70003' }))?.fields.id).toBe('3174XXXXXXXX0003');
  });

  it('answers null for a document with a 16-digit number but none of the card labels', () => {
    const receipt = {
      width: 900,
      height: 640,
      lines: [
        engineLine([{ text: 'TOKO SUMBER REJEKI', x: 300 }], { y: 40 }),
        engineLine([{ text: 'NO. 3174024305900003', x: 60 }], { y: 100 }),
        engineLine([{ text: 'BERAS 5KG', x: 60 }], { y: 140 }),
        engineLine([{ text: 'TOTAL', x: 60 }], { y: 180 }),
      ],
    };
    expect(read(receipt)).toBeNull();
    expect(read({ width: 1000, height: 630, lines: [] })).toBeNull();
  });

  it('reads the issue place and date as their own fields wherever they sit beside the rows', () => {
    // Printed low, level with Kewarganegaraan and Berlaku Hingga (issue 7: "WNI JAKARTA BARAT").
    const low = enginePage({ ...MARIA, issueCity: '', issueDate: '' }, (lines) =>
      lines.flatMap((l) => {
        if (l.text.startsWith('Kewarganegaraan')) {
          return [engineLine([{ text: 'Kewarganegaraan', x: 38 }, { text: ':', x: 226 }, { text: 'WNI', x: 241 }, { text: 'JAKARTA BARAT', x: 780 }], { y: l.box.y })];
        }
        if (l.text.startsWith('Berlaku')) {
          return [engineLine([{ text: 'Berlaku Hingga', x: 38 }, { text: ':', x: 226 }, { text: 'SEUMUR HIDUP', x: 241 }, { text: '12-08-2019', x: 800 }], { y: l.box.y })];
        }
        return [l];
      }),
    );
    expect(read(low)?.fields).toMatchObject({ nationnality: 'WNI', valid_until: 'SEUMUR HIDUP', issue_city: 'JAKARTA BARAT', issue_date: '12-08-2019' });
  });

  it('never lets text right of a value join it (a watermark word, a signature)', () => {
    const beside = enginePage(
      MARIA,
      replacing('Status', (l) => [engineLine([{ text: 'Status Perkawinan', x: 38 }, { text: ':', x: 226 }, { text: 'BELUM KAWIN', x: 241 }, { text: 'KARUTA', x: 470 }], { y: l.box.y })]),
    );
    expect(read(beside)?.fields.marital_status).toBe('BELUM KAWIN');
  });

  it('drops faint print crossing a value (a watermark), whatever the gap', () => {
    const inked = (lines: OcrLine[]) => lines.map((l) => ({ ...l, chars: l.chars.map((c) => ({ ...c, ink: 0.7 })) }));
    const page = enginePage(MARIA, (lines) =>
      inked(lines).flatMap((l) => {
        if (!l.text.startsWith('Pekerjaan')) return [l];
        const watermark = engineLine([{ text: 'PENDUDUK', x: 430 }], { y: l.box.y });
        const faint = { ...watermark, chars: watermark.chars.map((c) => ({ ...c, ink: 0.08 })) };
        return [{ ...l, text: l.text + faint.text, chars: [...l.chars, ...faint.chars], box: { ...l.box, width: faint.box.x + faint.box.width - l.box.x } }];
      }),
    );
    expect(read(page)?.fields.work).toBe('KARYAWAN SWASTA');
  });

  it('keeps what is printed: off-vocabulary and off-format values, no dots added', () => {
    const fields = read(
      enginePage({ ...MARIA, work: 'PEGAWAI SWASTA', gender: 'FEMALE', nationality: 'INDONESIA', birth: 'JAKARTA, 03/05/1990', address: ['JL DIMANA NO 100'], village: 'DUREN JAYA' }),
    )!.fields;
    expect(fields).toMatchObject({ work: 'PEGAWAI SWASTA', gender: 'FEMALE', nationnality: 'INDONESIA', dob: '03/05/1990', address: 'JL DIMANA NO 100', village: 'DUREN JAYA' });
  });
});

