/**
 * The NIK, `PP KK CC DDMMYY SSSS`: what it encodes and whether it agrees with the rest of the card.
 *
 * Hard checks decide `valid`. Everything else is a warning: the NIK is never corrected, its region
 * is where the holder was first registered (not the current address), and Dukcapil has issued NIKs
 * whose birth date differs from the printed one.
 *
 * Messages never quote the NIK, a date or a name: they may end up in logs.
 */
import type { Gender, NikCheckData } from './identity.ts';
import { isRealDate, isoDate, isoToday } from './dates.ts';
import { digitOf } from './look-alikes.ts';
import { districtByCode, matchRegionName, provinceByCode, regencyByCode } from './regions.ts';

/** The digit a single recognised character stands for in the NIK row, or null when it is none. */
export function nikDigitOf(char: string): string | null {
  return digitOf(char);
}

/** What separates groups of a NIK when one is written out (`3273 0115 ...`, `32.73.01`): never part of it. */
const SEPARATOR = /[\s.,:;\-_/]/;

/**
 * The NIK as printed: the characters of the value, without separators. The NIK is digits by
 * definition, so a character read in place of a digit (`O`, `I`, `S`, ... see look-alikes.ts) is
 * that digit; any other character (a placeholder `X`, a stray letter) is kept, uppercased, for
 * `checkNik` to report. A leading `NIK :` label is dropped. Never padded, never cut to 16.
 */
export function readPrintedNik(text: string): string {
  // Without this, the label's `I` would become a leading 1.
  const value = text.normalize('NFKC').replace(/^\s*NIK\b\s*[:.;]?/i, '');
  let out = '';
  for (const c of value) {
    if (SEPARATOR.test(c)) continue;
    out += digitOf(c) ?? c.toUpperCase();
  }
  return out;
}

/**
 * The NIK as digits only: look-alike letters become digits, everything else is dropped. For
 * matching a number against the card (the NIK's own row uses readPrintedNik).
 */
export function readNikDigits(text: string): string {
  return readPrintedNik(text).replace(/\D/g, '');
}

export interface PrintedCard {
  /** ISO date printed in Tempat/Tgl Lahir. */
  birthDate: string | null;
  gender: Gender | null;
  province?: string | null;
  city?: string | null;
  district?: string | null;
}

/** The minimum age for a KTP. */
const KTP_AGE = 17;

interface DecodedBirth {
  birthDate: string | null;
  gender: Gender | null;
  problems: string[];
}

/**
 * Birth date and gender from `DDMMYY`: women's days carry +40. The year has no century: take the
 * printed birth date's century when its two last digits agree (the card knows what the NIK cannot),
 * else the latest century that does not put the birth in the future.
 */
function decodeBirth(ddmmyy: string, printed: string | null, today: string): DecodedBirth {
  const problems: string[] = [];
  const rawDay = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const yy = Number(ddmmyy.slice(4, 6));

  let gender: Gender | null = null;
  let day = rawDay;
  if (rawDay >= 1 && rawDay <= 31) gender = 'MALE';
  else if (rawDay >= 41 && rawDay <= 71) [gender, day] = ['FEMALE', rawDay - 40];
  else problems.push('The NIK birth day is neither 01-31 (men) nor 41-71 (women).');

  if (month < 1 || month > 12) problems.push('The NIK birth month is not 01-12.');
  if (problems.length > 0) return { birthDate: null, gender, problems };

  const printedYear = printed ? Number(printed.slice(0, 4)) : NaN;
  const centuries = new Set(printedYear % 100 === yy ? [printedYear - yy, 2000, 1900] : [2000, 1900]);
  for (const century of centuries) {
    const year = century + yy;
    if (!isRealDate(year, month, day)) continue;
    const iso = isoDate(year, month, day);
    if (iso <= today) return { birthDate: iso, gender, problems };
  }
  // Only 29 February can be real in one century and not the other; name it so the reason is clear.
  const reason = month === 2 && day === 29 ? 'The NIK birth date is 29 February of a year that is not a leap year.'
    : 'The NIK birth date is not a real calendar day.';
  return { birthDate: null, gender, problems: [reason] };
}

function yearsBetween(birth: string, today: string): number {
  const age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? age - 1 : age;
}

function emptyCheck(problems: string[]): NikCheckData {
  return {
    valid: false, problems, warnings: [],
    provinceCode: null, regencyCode: null, districtCode: null,
    provinceName: null, regencyName: null, districtName: null,
    birthDate: null, gender: null, serial: null,
    birthDateMatchesCard: null, genderMatchesCard: null,
  };
}

/**
 * Compares the region printed on the card with the NIK's, by resolving the printed names to codes.
 * Names that do not resolve say nothing (a misread is not a disagreement).
 */
function regionWarnings(codes: { province: string; regency: string; district: string }, card: PrintedCard): string[] {
  const warnings: string[] = [];
  const province = card.province ? matchRegionName('province', card.province) : null;
  if (province && province.code !== codes.province) {
    warnings.push('The NIK was registered in another province than the one printed (normal after a move).');
    return warnings;
  }
  const regency = card.city ? matchRegionName('regency', card.city, codes.province) ?? matchRegionName('regency', card.city) : null;
  if (regency && regency.code !== codes.regency) {
    warnings.push('The NIK was registered in another regency/city than the one printed (normal after a move).');
    return warnings;
  }
  // Only meaningful under a regency the tables know: old Papua codes (91xx/92xx moved in 2022) are not.
  if (card.district && regencyByCode(codes.regency) !== null) {
    const district = matchRegionName('district', card.district, codes.regency);
    if (district && district.code !== codes.district) {
      warnings.push('The NIK was registered in another district than the one printed (normal after a move).');
    }
  }
  return warnings;
}

/** A run of one repeated digit, or digits counting up or down: what a template prints, not a NIK. */
function isPlaceholder(nik: string): boolean {
  if (/^(.)\1*$/.test(nik)) return true;
  if (/^[xX*#?]+$/.test(nik) || /[xX*#]{3,}/.test(nik)) return true;
  const digits = [...nik].map(Number);
  if (digits.some((d) => Number.isNaN(d)) || digits.length < 8) return false;
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  return steps.every((s) => s === 1) || steps.every((s) => s === 9);
}

/**
 * What is wrong with the NIK's shape, one sentence each: nothing read, characters that are not
 * digits, a length other than 16, a placeholder. Never quotes the NIK.
 */
function shapeProblems(nik: string): string[] {
  if (nik === '') return ['No NIK was read on the card.'];
  const problems: string[] = [];
  if (/\D/.test(nik)) problems.push('The NIK contains characters that are not digits.');
  if (nik.length !== 16) problems.push(`The NIK has ${nik.length} characters; a NIK has 16 digits.`);
  if (isPlaceholder(nik)) problems.push('The NIK looks like a placeholder (one repeated character or a counting sequence), not an issued number.');
  return problems;
}

/**
 * Hard checks (→ `valid`, `problems`), decoding, and cross-checks against the printed card
 * (→ `warnings` and the `…MatchesCard` booleans; never a reason to reject). `today` fixes the
 * century choice and the age check, so results are reproducible.
 */
export function checkNik(nik: string, card: PrintedCard, today: Date): NikCheckData {
  const shape = shapeProblems(nik);
  if (!/^\d{16}$/.test(nik)) return emptyCheck(shape);

  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(0, 4);
  const districtCode = nik.slice(0, 6);
  const serial = nik.slice(12);
  const todayIso = isoToday(today);

  const problems: string[] = [...shape];
  const provinceName = provinceByCode(provinceCode);
  if (provinceName === null) problems.push('The NIK province code is not a Kemendagri province.');
  const birth = decodeBirth(nik.slice(6, 12), card.birthDate, todayIso);
  problems.push(...birth.problems);
  if (serial === '0000') problems.push('The NIK serial is 0000; serials start at 0001.');

  const warnings: string[] = [];
  const birthDateMatchesCard = birth.birthDate && card.birthDate ? birth.birthDate === card.birthDate : null;
  if (birthDateMatchesCard === false) warnings.push('The NIK birth date differs from the printed birth date.');
  const genderMatchesCard = birth.gender && card.gender ? birth.gender === card.gender : null;
  if (genderMatchesCard === false) warnings.push('The NIK gender (+40 rule) differs from the printed gender.');
  if (birth.birthDate && yearsBetween(birth.birthDate, todayIso) < KTP_AGE) {
    warnings.push(`The NIK birth date makes the holder younger than ${KTP_AGE}, the age a KTP is issued at.`);
  }
  if (provinceName !== null) {
    warnings.push(...regionWarnings({ province: provinceCode, regency: regencyCode, district: districtCode }, card));
  }

  return {
    valid: problems.length === 0,
    problems,
    warnings,
    provinceCode,
    regencyCode,
    districtCode,
    provinceName,
    regencyName: regencyByCode(regencyCode),
    districtName: districtByCode(districtCode),
    birthDate: birth.birthDate,
    gender: birth.gender,
    serial,
    birthDateMatchesCard,
    genderMatchesCard,
  };
}
