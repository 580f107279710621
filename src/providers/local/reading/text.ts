/** Small string helpers shared by the reading modules. */

/** Collapse runs of spaces and trim. */
export function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
