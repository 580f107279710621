/** Small string helpers shared by the reading modules. */

/** Edit distance (insert, delete, substitute: 1 each). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Collapse runs of spaces and trim. */
export function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
