/**
 * The one table of look-alike characters: what a recogniser returns in place of a printed
 * character. Every per-field class (NIK, dates, RT/RW, blood type, label keys, fuzzy matching) is
 * derived from it here, so that the readers can never disagree about what `g` or `o` may stand for.
 *
 * Each row says which printed character the read one may stand for and in which contexts:
 * - `digit`: where the card prints nothing but digits and separators (NIK, dates, RT/RW);
 * - `letter`: a digit read where the card prints a letter of a short code (blood type);
 * - `fuzzy`: uppercase, squashed comparisons against vocabularies and region names, where a
 *   substitution between the two costs half an edit;
 * - `label`: the lowercase keys the printed labels are compared with.
 */
export type LookAlikeContext = 'digit' | 'letter' | 'fuzzy' | 'label';

interface Row {
  read: string;
  printed: string;
  in: readonly LookAlikeContext[];
}

const D: readonly LookAlikeContext[] = ['digit'];
const DF: readonly LookAlikeContext[] = ['digit', 'fuzzy'];
const DFL: readonly LookAlikeContext[] = ['digit', 'fuzzy', 'label'];
const DL: readonly LookAlikeContext[] = ['digit', 'label'];

const ROWS: readonly Row[] = [
  // 0
  { read: 'O', printed: '0', in: DF },
  { read: 'o', printed: '0', in: DL },
  { read: 'D', printed: '0', in: DF },
  { read: 'Q', printed: '0', in: DF },
  { read: 'U', printed: '0', in: D },
  // 1
  { read: 'I', printed: '1', in: DF },
  { read: 'l', printed: '1', in: DL },
  { read: '|', printed: '1', in: DFL },
  { read: 'i', printed: '1', in: DL },
  { read: '!', printed: '1', in: DL },
  { read: 'T', printed: '1', in: DF },
  { read: 'J', printed: '1', in: D },
  // 2, 5, 6, 7, 8, 9
  { read: 'Z', printed: '2', in: DF },
  { read: 'z', printed: '2', in: D },
  { read: 'S', printed: '5', in: DF },
  { read: 's', printed: '5', in: DL },
  { read: 'b', printed: '6', in: D },
  { read: 'G', printed: '6', in: DF },
  { read: '?', printed: '7', in: DF },
  { read: 'B', printed: '8', in: DF },
  { read: 'g', printed: '9', in: D },
  { read: 'q', printed: '9', in: D },
  // Letters of a blood group read as digits.
  { read: '0', printed: 'O', in: ['letter'] },
  { read: '8', printed: 'B', in: ['letter'] },
  { read: '4', printed: 'A', in: ['letter'] },
  // Letters mistaken for one another inside words.
  { read: 'L', printed: 'I', in: ['fuzzy'] },
  { read: 'L', printed: '1', in: ['fuzzy'] },
];

function mapOf(context: LookAlikeContext): Readonly<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const row of ROWS) if (row.in.includes(context)) map[row.read] = row.printed;
  return Object.freeze(map);
}

/** Characters read where the card prints a digit, and the digit each stands for. */
export const DIGIT_LOOK_ALIKES = mapOf('digit');
/** Digits read where the card prints a letter of a blood group, and the letter. */
export const LETTER_LOOK_ALIKES = mapOf('letter');

const escapeClass = (chars: string) => chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);

/** One character that is a digit or reads as one: the class the NIK and date finders use. */
export const DIGIT_LIKE_CLASS = `[0-9${escapeClass(Object.keys(DIGIT_LOOK_ALIKES).join(''))}]`;
export const DIGIT_LIKE: RegExp = new RegExp(`^${DIGIT_LIKE_CLASS}$`);

/** The digit a recognised character stands for where the card prints only digits; null when none. */
export function digitOf(char: string): string | null {
  if (char.length === 1 && char >= '0' && char <= '9') return char;
  return DIGIT_LOOK_ALIKES[char] ?? null;
}

/**
 * Groups of characters that a squashed (uppercase letters and digits) comparison treats as near
 * misses: each printed digit with the uppercase characters read for it in the `fuzzy` context, and
 * each letter with the letters read for it.
 */
export const FUZZY_GROUPS: readonly string[] = (() => {
  const groups = new Map<string, Set<string>>();
  for (const row of ROWS) {
    if (!row.in.includes('fuzzy')) continue;
    const group = groups.get(row.printed) ?? new Set([row.printed]);
    group.add(row.read);
    groups.set(row.printed, group);
  }
  return [...groups.values()].map((g) => [...g].join(''));
})();

/**
 * The label key of one character: lowercase letters, with the characters read in place of a label
 * letter folded onto it. Label letters are compared lowercase, so a digit that a label letter is
 * read as folds onto that letter (`0` → `o`, `1`/`|`/`!`/`i` → `l`, `5` → `s`).
 */
const LABEL_FOLD: Readonly<Record<string, string>> = (() => {
  const fold: Record<string, string> = {};
  // Within a digit's group, the label letters it stands for fold onto one representative letter.
  const byDigit = new Map<string, string[]>();
  for (const row of ROWS) {
    if (!row.in.includes('label')) continue;
    const members = byDigit.get(row.printed) ?? [];
    members.push(row.read.toLowerCase());
    byDigit.set(row.printed, members);
  }
  for (const [digit, members] of byDigit) {
    const letters = members.filter((m) => /[a-z]/.test(m));
    const representative = letters.includes('l') ? 'l' : letters[0] ?? digit;
    fold[digit] = representative;
    for (const m of members) fold[m] = representative;
  }
  return Object.freeze(fold);
})();

export function labelKeyChar(c: string): string {
  const lower = c.toLowerCase();
  const folded = LABEL_FOLD[lower] ?? lower;
  return /^[a-z]$/.test(folded) ? folded : '';
}

/** The label fold, for the test that checks it covers exactly the table's `label` rows. */
export const LABEL_LOOK_ALIKES = LABEL_FOLD;

/** The table itself, read-only, for tests. */
export const LOOK_ALIKE_ROWS: readonly Readonly<Row>[] = ROWS;
