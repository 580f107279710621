/**
 * Logistic regression with an L2 penalty, fitted by Newton's method from zero: the same rows give
 * the same weights, to the last digit, on any machine. Features are standardised for the fit (so
 * the penalty weighs them alike) and the weights are given back on the raw features.
 */

export interface Row {
  x: readonly number[];
  y: 0 | 1;
}

export interface Logistic {
  bias: number;
  weights: number[];
}

/** Newton steps at most; the fit converges in well under this on a few thousand rows. */
const MAX_STEPS = 100;

export function fitLogistic(rows: readonly Row[], dims: number, penalty = 1): Logistic {
  if (rows.length === 0) return { bias: 0, weights: new Array<number>(dims).fill(0) };
  const mean = new Array<number>(dims).fill(0);
  const sd = new Array<number>(dims).fill(0);
  for (const r of rows) for (let j = 0; j < dims; j++) mean[j]! += r.x[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < dims; j++) sd[j]! += (r.x[j]! - mean[j]!) ** 2 / rows.length;
  // A feature constant over the rows says nothing: it keeps a zero weight.
  const used = sd.map((v) => v > 1e-12);
  const scale = sd.map((v) => Math.sqrt(v) || 1);
  const z = rows.map((r) => [1, ...r.x.map((v, j) => (used[j] ? (v - mean[j]!) / scale[j]! : 0))]);
  const n = dims + 1;
  const w = new Array<number>(n).fill(0);
  for (let step = 0; step < MAX_STEPS; step++) {
    const grad = w.map((v, j) => (j === 0 ? 0 : penalty * v));
    const hess = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j && i > 0 ? penalty : 0)));
    rows.forEach((r, k) => {
      const x = z[k]!;
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j]!, 0)));
      const q = p * (1 - p);
      for (let i = 0; i < n; i++) {
        grad[i]! += (p - r.y) * x[i]!;
        for (let j = 0; j < n; j++) hess[i]![j]! += q * x[i]! * x[j]!;
      }
    });
    const delta = solve(hess, grad);
    let moved = 0;
    for (let j = 0; j < n; j++) {
      w[j]! -= delta[j]!;
      moved = Math.max(moved, Math.abs(delta[j]!));
    }
    if (moved < 1e-10) break;
  }
  const weights = w.slice(1).map((v, j) => (used[j] ? v / scale[j]! : 0));
  const bias = w[0]! - weights.reduce((s, v, j) => s + v * mean[j]!, 0);
  return { bias, weights };
}

/** Gaussian elimination with partial pivoting; a singular column is left at zero. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}
