/**
 * What a field's reading rests on, as numbers a calibration can weigh (reading/calibration.ts):
 * the recogniser's character probabilities (weakest, mean, and the surprise of their product),
 * how far its runner-ups were behind, how close a gap came to the space threshold, whether a
 * vocabulary or region table knows the value, whether its label was read, whether the value was
 * read from the layout alone (no glyphs: the blood type's missed dash), and for the NIK its
 * checks and how many readings agreed on it.
 */
import type { RawKtpFields } from '../../../ktp/raw-fields.ts';
import type { Glyph } from './glyphs.ts';
import { gapRatios, SPACE_GAP } from './spaces.ts';

/** Fields whose readings fail alike share a calibration. */
export type FieldGroup = 'nik' | 'text' | 'place' | 'vocabulary' | 'number';

export const FIELD_GROUPS: Record<keyof RawKtpFields, FieldGroup> = {
  id: 'nik',
  name: 'text',
  address: 'text',
  pob: 'place',
  village: 'place',
  district: 'place',
  city: 'place',
  province: 'place',
  issue_city: 'place',
  gender: 'vocabulary',
  religion: 'vocabulary',
  marital_status: 'vocabulary',
  work: 'vocabulary',
  nationnality: 'vocabulary',
  blood_type: 'vocabulary',
  valid_until: 'vocabulary',
  dob: 'number',
  issue_date: 'number',
  rt: 'number',
  rw: 'number',
};

/** What a reading rests on besides its glyphs. */
export interface Support {
  /** The reader's own score for the value (the product of its rules' doubts), 0..1. */
  prior: number;
  /** A vocabulary or region table knows the value (or RT/RW parsed as two 3-digit parts); undefined where nothing could vouch. */
  vouched?: boolean;
  /** The label that introduced the value was read rather than inferred from the row order. */
  labelSure: boolean;
  /** The NIK only: its hard checks, its disagreements with the printed card, and the share of its readings that agreed digit for digit. */
  nik?: { valid: boolean; warnings: number; agreement: number; rereads: number };
}

/** The features, in the order the calibration's weights are written. */
export const FEATURES = [
  'prior',
  'weakest',
  'mean',
  'surprise',
  'margin',
  'gapDoubt',
  'vouched',
  'unvouched',
  'labelSure',
  'length',
  'fromLayout',
  'nikValid',
  'nikWarnings',
  'agreement',
] as const;
export type Features = Record<(typeof FEATURES)[number], number>;

/** Probabilities as log-odds, bounded so that a 1.0 is a large number and not infinity. */
const logit = (p: number) => {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
};

/** A gap this many thresholds away from the space threshold is no doubt at all. */
const GAP_SURE = 2;

export function evidenceOf(glyphs: readonly Glyph[], support: Support): Features {
  const scores = glyphs.map((g) => g.score);
  // A value read from the layout alone (a label with nothing after it) has no glyph scores.
  const none = scores.length === 0;
  const weakest = none ? 0.5 : Math.min(...scores);
  const mean = none ? 0.5 : scores.reduce((s, p) => s + p, 0) / scores.length;
  // The surprise of the product: about how many characters the recogniser expects to be wrong.
  const surprise = scores.reduce((s, p) => s - Math.log(Math.max(1e-4, p)), 0);
  // How far each character's runner-up was behind it; one without a runner-up was unrivalled.
  const margins = glyphs.map((g) => g.score - (g.alternative?.score ?? 0));
  const margin = margins.length ? Math.min(...margins) : 0.5;
  // The gap nearest to the space threshold, in thresholds: 0 is a coin toss between space and none.
  const ratios = gapRatios(glyphs);
  let gap = GAP_SURE;
  glyphs.forEach((g, i) => {
    if (i > 0 && !g.breakBefore) gap = Math.min(gap, Math.abs(ratios[i]! - SPACE_GAP) / SPACE_GAP);
  });
  return {
    prior: logit(support.prior),
    weakest: logit(weakest),
    mean: logit(mean),
    surprise,
    margin: logit(Math.max(0, margin)),
    gapDoubt: GAP_SURE - gap,
    vouched: support.vouched === true ? 1 : 0,
    unvouched: support.vouched === false ? 1 : 0,
    labelSure: support.labelSure ? 1 : 0,
    length: Math.log1p(glyphs.length),
    // Weighed on its own: the glyph features of a value read from nothing say nothing.
    fromLayout: none ? 1 : 0,
    nikValid: support.nik?.valid ? 1 : 0,
    nikWarnings: support.nik?.warnings ?? 0,
    agreement: support.nik?.agreement ?? 0,
  };
}
