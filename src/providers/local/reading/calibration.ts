/**
 * A field's confidence as a probability: the chance that its value is exactly what the card
 * prints, spaces and punctuation included. A logistic model over the reading's evidence (reading/evidence.ts;
 * its weights shared, a bias per field group), fitted by `npm run calibrate` (tools/calibrate.ts) on the tuning
 * ranges only and committed as calibration.json, with the command and ranges that produced it.
 */
import model from './calibration.json' with { type: 'json' };
import { FEATURES, type Features, type FieldGroup } from './evidence.ts';

export interface GroupModel {
  bias: number;
  weights: Partial<Features>;
  /** Fields it was fitted on, and how many were exact (for the reader of the file). */
  fitted: { fields: number; exact: number };
}

export interface Calibration {
  /** The command that wrote the file, and the tuning cards it read. */
  command: string;
  ranges: string[];
  groups: Record<FieldGroup, GroupModel>;
}

const CALIBRATION = model as Calibration;

/**
 * The most a NIK may be trusted when the other readings of its row did not all read its digits:
 * under 0.95 unless every one agreed, 0.5 when none did. Not fitted: the tuning cards hold one
 * wrong NIK (no reading agreed with it) against 133 right ones, 131 of them agreed on by every
 * reading, too few to learn what a disagreement costs, and a wrong NIK reported as sure is the one
 * error a KYC flow cannot afford.
 */
export const nikAgreementCap = (agreement: number) => (agreement >= 1 ? 1 : 0.5 + 0.449 * agreement);

/** The probability the group's model gives this evidence. */
export function calibrated(group: FieldGroup, features: Features, calibration: Calibration = CALIBRATION): number {
  const m = calibration.groups[group];
  let z = m.bias;
  for (const name of FEATURES) z += (m.weights[name] ?? 0) * features[name];
  return 1 / (1 + Math.exp(-z));
}
