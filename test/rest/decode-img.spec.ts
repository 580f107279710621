import { describe, expect, it } from 'vitest';
import { decodeImgParameter } from '../../src/rest/decode-img.ts';

/** Bytes chosen so that their base64 uses `+`, `/` and padding: every alphabet difference shows. */
const BYTES = new Uint8Array([0xfb, 0xff, 0xbf, 0xfe, 0xef, 0x3e, 0x00, 0x10, 0x83, 0xff, 0xd8]);
const STANDARD = Buffer.from(BYTES).toString('base64');
const URL_SAFE = Buffer.from(BYTES).toString('base64url');

function decoded(text: string): number[] | null {
  const bytes = decodeImgParameter(text);
  return bytes === null ? null : [...bytes];
}

describe('decodeImgParameter', () => {
  it('sanity: the sample uses both alphabet differences and padding', () => {
    expect(STANDARD).toMatch(/\+/);
    expect(STANDARD).toMatch(/\//);
    expect(STANDARD).toMatch(/=$/);
    expect(URL_SAFE).toMatch(/[-_]/);
    expect(URL_SAFE).not.toMatch(/=/);
  });

  it('decodes plain padded base64', () => {
    expect(decoded(STANDARD)).toEqual([...BYTES]);
  });

  it('decodes plain base64 with the padding left off', () => {
    expect(decoded(STANDARD.replace(/=+$/, ''))).toEqual([...BYTES]);
  });

  it.each(['data:image/jpeg;base64,', 'data:image/png;base64,', 'DATA:IMAGE/JPEG;BASE64,', 'data:;base64,', 'data:image/jpeg;name=ktp.jpg;base64,'])(
    'decodes a data URL with the prefix %s',
    (prefix) => {
      expect(decoded(`${prefix}${STANDARD}`)).toEqual([...BYTES]);
    },
  );

  it('decodes URL-safe unpadded base64', () => {
    expect(decoded(URL_SAFE)).toEqual([...BYTES]);
  });

  it('decodes URL-safe base64 with padding', () => {
    expect(decoded(`${URL_SAFE}=`)).toEqual([...BYTES]);
  });

  it('decodes a data URL carrying URL-safe base64', () => {
    expect(decoded(`data:image/jpeg;base64,${URL_SAFE}`)).toEqual([...BYTES]);
  });

  it.each([
    ['LF every 4 characters', '\n'],
    ['CRLF every 4 characters', '\r\n'],
  ])('decodes line-wrapped base64 (%s)', (_name, eol) => {
    const wrapped = STANDARD.match(/.{1,4}/g)!.join(eol);
    expect(decoded(wrapped)).toEqual([...BYTES]);
  });

  it('decodes MIME-style base64 wrapped at 76 columns', () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    const wrapped = Buffer.from(bytes).toString('base64').match(/.{1,76}/g)!.join('\r\n');
    expect(wrapped).toContain('\r\n');
    expect(decoded(wrapped)).toEqual([...bytes]);
  });

  it('decodes base64 whose `+` a careless client left unencoded (form decoding made it a space)', () => {
    const careless = new URLSearchParams(`img=${STANDARD}`).get('img')!;
    expect(careless).toContain(' ');
    expect(decoded(careless)).toEqual([...BYTES]);
  });

  it('ignores line breaks around the value (a file that ends in a newline, sent with curl --data-urlencode img@file)', () => {
    expect(decoded(`${STANDARD}\n`)).toEqual([...BYTES]);
    expect(decoded(`\r\n${STANDARD}\r\n`)).toEqual([...BYTES]);
  });

  it('keeps a leading or trailing `+` that form decoding turned into a space', () => {
    const bytes = new Uint8Array([0xfb, 0xe0, 0x00, 0x01, 0x02, 0xfe]);
    const base64 = Buffer.from(bytes).toString('base64');
    expect(base64).toMatch(/^\+.*\+$/);
    expect(decoded(base64.replace(/\+/g, ' '))).toEqual([...bytes]);
  });

  it('decodes the empty string to no bytes (the endpoint answers INVALID_REQUEST)', () => {
    expect(decodeImgParameter('')?.byteLength).toBe(0);
  });

  it.each([
    ['punctuation', 'not base64!'],
    ['a JSON body', '{"img":"abcd"}'],
    ['a percent-encoded value decoded twice', '%2F9j%2F4AAQ'],
    ['padding in the middle', 'ab==cd=='],
    ['too much padding', 'abc==='],
    ['a length no base64 text has', 'abcde'],
    ['a data URL that is not base64', 'data:image/jpeg,%FF%D8%FF'],
    ['non-ASCII letters', 'ábcd'],
  ])('returns null for garbage: %s', (_name, text) => {
    expect(decodeImgParameter(text)).toBeNull();
  });

  it.each([
    ['`+` with `-`', 'ab+c-def'],
    ['`/` with `_`', 'ab/c_def'],
    ['the standard sample with one URL-safe character', `${STANDARD.slice(0, 4)}-${STANDARD.slice(5)}`],
  ])('returns null for mixed alphabets: %s', (_name, text) => {
    expect(decodeImgParameter(text)).toBeNull();
  });
});
