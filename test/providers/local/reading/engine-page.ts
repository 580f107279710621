/**
 * Hand-built OcrPages that behave like the measured engine: spaces between words are dropped from
 * `text` but still visible as wider gaps in `chars`, each character's extent is its ink (its
 * advance less the side bearings), and a row can come back as one merged line or as separate boxes.
 */
import type { OcrLine, OcrPage } from '../../../../src/providers/local/ocr-line.ts';

/** Arial advances (1/1000 em) of what the tests print; others default to 600. */
const ADVANCE: Record<string, number> = {
  ' ': 278, ',': 278, '-': 333, '.': 278, '/': 278, ':': 278, '(': 333, ')': 333,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 500, K: 667, L: 556, M: 833,
  N: 722, O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833,
  n: 556, o: 556, p: 556, q: 556, r: 333, s: 500, t: 278, u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
};
const advance = (c: string) => (/[0-9]/.test(c) ? 556 : ADVANCE[c] ?? 600);

export interface Piece {
  /** What the card prints here, spaces included. */
  text: string;
  x: number;
}

export interface LineOptions {
  y: number;
  /** Font size in px; the detected box is about 1.1 times taller. */
  size?: number;
  /** Keep the printed spaces in `text` (the engine sometimes does). Default: drop them. */
  keepSpaces?: boolean;
  score?: number;
  /** Per-character score override, by index into the emitted text. */
  charScores?: Record<number, number>;
}

/**
 * One detected line made of pieces printed at their own x (label, colon, value...), merged the way
 * the engine merges a row: the spaces inside and between pieces vanish from the text.
 */
export function engineLine(pieces: Piece[], options: LineOptions): OcrLine {
  const size = options.size ?? 21;
  const chars: OcrLine['chars'] = [];
  for (const piece of pieces) {
    let pen = piece.x;
    for (const c of piece.text) {
      const w = (advance(c) * size) / 1000;
      if (c !== ' ' || options.keepSpaces) {
        // Arial's side bearings are about a twelfth of the advance on each side.
        chars.push({ char: c, x0: pen + w / 12, x1: pen + w - w / 12, score: options.score ?? 0.97 });
      }
      pen += w;
    }
  }
  for (const [i, s] of Object.entries(options.charScores ?? {})) chars[Number(i)]!.score = s;
  const x0 = pieces[0]!.x;
  const x1 = Math.max(...chars.map((c) => c.x1));
  return {
    text: chars.map((c) => c.char).join(''),
    score: options.score ?? 0.97,
    box: { x: x0, y: options.y, width: x1 - x0, height: size * 1.1 },
    chars,
  };
}

/** A row of the card body as the engine tends to return it: label, colon and value in one line. */
export function labelledRow(label: string, value: string, y: number, options: Omit<LineOptions, 'y'> & { indent?: boolean; touching?: boolean } = {}): OcrLine {
  const labelX = 38 + (options.indent ? 32 : 0);
  const colonX = options.touching ? labelX + label.length * 10 : 226;
  return engineLine(
    [
      { text: label, x: labelX },
      { text: ':', x: colonX },
      { text: value, x: 241 },
    ],
    { ...options, y },
  );
}

export interface CardText {
  province: string;
  regency: string;
  nik: string;
  name: string[];
  birth: string;
  gender: string;
  bloodLabel?: string;
  blood: string;
  address: string[];
  rtrw: string;
  village: string;
  district: string;
  religionLabel?: string;
  religion: string;
  marital: string;
  work: string;
  nationality: string;
  validUntil: string;
  issueCity: string;
  issueDate: string;
}

export const MARIA: CardText = {
  province: 'DKI JAKARTA',
  regency: 'JAKARTA SELATAN',
  nik: '3174024305900003',
  name: ['MARIA THERESIA'],
  birth: 'JAKARTA, 03-05-1990',
  gender: 'PEREMPUAN',
  blood: 'O',
  address: ['JL. KEBON JERUK NO. 12'],
  rtrw: '006/003',
  village: 'PETOGOGAN',
  district: 'KEBAYORAN BARU',
  religion: 'KATOLIK',
  marital: 'BELUM KAWIN',
  work: 'KARYAWAN SWASTA',
  nationality: 'WNI',
  validUntil: 'SEUMUR HIDUP',
  issueCity: 'JAKARTA SELATAN',
  issueDate: '12-08-2019',
};

/**
 * A whole card as the engine returns it: headers, NIK, one merged line per body row, the issue
 * place and date merged into the Kecamatan and Agama rows, wrapped values on their own line.
 */
export function enginePage(card: CardText, tweak: (lines: OcrLine[]) => OcrLine[] = (l) => l): OcrPage {
  const lines: OcrLine[] = [
    engineLine([{ text: `PROVINSI ${card.province}`, x: 250 }], { y: 30, size: 27 }),
    engineLine([{ text: card.regency, x: 300 }], { y: 66, size: 27 }),
    engineLine([{ text: 'NIK', x: 38 }, { text: ':', x: 226 }, { text: card.nik, x: 243 }], { y: 120, size: 32 }),
  ];
  let y = 172;
  const pitch = 32.5;
  const row = (label: string, values: string[], opts: { indent?: boolean; touching?: boolean } = {}, side?: string) => {
    values.forEach((v, i) => {
      if (i === 0) {
        const line = labelledRow(label, v, y, opts);
        lines.push(side ? engineLine([{ text: label, x: opts.indent ? 70 : 38 }, { text: ':', x: 226 }, { text: v, x: 241 }, { text: side, x: 790 }], { y }) : line);
      } else {
        lines.push(engineLine([{ text: v, x: 241 }], { y }));
      }
      y += pitch;
    });
  };
  row('Nama', card.name);
  row('Tempat/Tgl Lahir', [card.birth]);
  lines.push(
    engineLine(
      [
        { text: 'Jenis Kelamin', x: 38 },
        { text: ':', x: 226 },
        { text: card.gender, x: 241 },
        { text: card.bloodLabel ?? 'Gol. Darah', x: 470 },
        { text: ':', x: 575 },
        { text: card.blood, x: 590 },
      ],
      { y },
    ),
  );
  y += pitch;
  row('Alamat', card.address);
  row('RT/RW', [card.rtrw], { indent: true });
  row('Kel/Desa', [card.village], { indent: true });
  row('Kecamatan', [card.district], { indent: true }, card.issueCity);
  row(card.religionLabel ?? 'Agama', [card.religion], {}, card.issueDate);
  row('Status Perkawinan', [card.marital], { touching: true });
  row('Pekerjaan', [card.work]);
  row('Kewarganegaraan', [card.nationality], { touching: true });
  row('Berlaku Hingga', [card.validUntil]);
  return { width: 1000, height: 630, lines: tweak(lines) };
}
