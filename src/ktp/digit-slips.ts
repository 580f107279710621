/**
 * Letters an OCR engine returns for printed digits (ktp.md). Only ever applied where the card
 * prints nothing but digits and separators; each reader extends it with the slips its own font
 * and field make likely.
 */
export const DIGIT_SLIPS: Readonly<Record<string, string>> = {
  O: '0', o: '0', D: '0', Q: '0',
  I: '1', l: '1', '|': '1',
  Z: '2', z: '2',
  S: '5', s: '5',
  b: '6', G: '6',
  B: '8',
};
