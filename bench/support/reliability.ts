/**
 * Whether a confidence is a probability: fields grouped by the confidence they were reported
 * with, and in each bucket the share that was exactly what the card prints. Benchmarks and the
 * calibration tool only.
 */

import { SURE_CONFIDENCE } from '../../src/ktp/normalise.ts';

/** Bucket lower bounds; a field falls in the last bucket whose bound it reaches. */
export const BUCKETS = [0, 0.5, 0.8, 0.9, 0.95, 0.99] as const;

/** The confidence from which a KYC flow takes a field without a human look. */
export const TRUSTED = SURE_CONFIDENCE;

export interface Scored {
  confidence: number;
  exact: boolean;
}

export interface Reliability {
  fields: number;
  buckets: { from: number; to: number; count: number; exact: number; meanConfidence: number }[];
  /** Expected calibration error: |mean confidence - share exact| per bucket, weighted by its count. */
  ece: number;
  /** Fields reported at >= TRUSTED, and how many of them were exact. */
  trusted: number;
  trustedExact: number;
}

export function reliability(scored: readonly Scored[]): Reliability {
  const buckets = BUCKETS.map((from, i) => ({ from, to: BUCKETS[i + 1] ?? 1, count: 0, exact: 0, sum: 0 }));
  let trusted = 0;
  let trustedExact = 0;
  for (const s of scored) {
    let b = 0;
    while (b + 1 < BUCKETS.length && s.confidence >= BUCKETS[b + 1]!) b++;
    const bucket = buckets[b]!;
    bucket.count++;
    bucket.sum += s.confidence;
    if (s.exact) bucket.exact++;
    if (s.confidence >= TRUSTED) {
      trusted++;
      if (s.exact) trustedExact++;
    }
  }
  const n = scored.length;
  const ece = n === 0 ? 0 : buckets.reduce((e, b) => e + (b.count === 0 ? 0 : Math.abs(b.sum / b.count - b.exact / b.count) * b.count), 0) / n;
  return {
    fields: n,
    buckets: buckets.map(({ from, to, count, exact, sum }) => ({ from, to, count, exact, meanConfidence: count ? sum / count : 0 })),
    ece,
    trusted,
    trustedExact,
  };
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const bucketName = (from: number, to: number) => (from === 0 ? `<${to}` : to === 1 ? `>=${from}` : `${from}-${to}`);

/**
 * The reliability table, one row per group (a family, or a classic variant): per bucket `count
 * share-exact`, the ECE, the share of fields cleared at >= TRUSTED, the share of those exact, and
 * the 16-digit NIKs reported at >= TRUSTED and how many of them were wrong (the one error a KYC
 * flow cannot afford).
 */
export function reliabilityTable(groups: ReadonlyMap<string, { fields: Scored[]; niks: Scored[] }>): string[] {
  const names = BUCKETS.map((from, i) => bucketName(from, BUCKETS[i + 1] ?? 1));
  const lines = [
    `| group | fields | ${names.join(' | ')} | ECE | cleared >= ${TRUSTED} | exact of those | 16-digit NIKs >= ${TRUSTED} |`,
    `|---|---|${names.map(() => '---|').join('')}---|---|---|---|`,
  ];
  for (const [group, { fields, niks }] of groups) {
    const r = reliability(fields);
    const clearedNiks = niks.filter((s) => s.confidence >= TRUSTED);
    const wrongNiks = clearedNiks.filter((s) => !s.exact).length;
    const cells = r.buckets.map((b) => (b.count ? `${b.count} ${pct(b.exact, b.count)}` : '0'));
    lines.push(`| ${group} | ${r.fields} | ${cells.join(' | ')} | ${r.ece.toFixed(3)} | ${pct(r.trusted, r.fields)} | ${pct(r.trustedExact, r.trusted)} | ${clearedNiks.length} of ${niks.length}, ${wrongNiks} wrong |`);
  }
  return lines;
}
