import { describe, expect, it } from 'vitest';
import { allowedEdits, bestMatch, editDistance, similarity, squash } from '../../src/ktp/fuzzy.ts';

describe('squash', () => {
  it('uppercases and keeps letters and digits only', () => {
    expect(squash(' Laki - laki ')).toBe('LAKILAKI');
    expect(squash('PELAJAR/MAHASISWA')).toBe('PELAJARMAHASISWA');
    expect(squash('Kota Adm. Jakarta Selatan')).toBe('KOTAADMJAKARTASELATAN');
  });

  it('strips accents and folds full-width forms', () => {
    expect(squash('Bogór')).toBe('BOGOR');
    expect(squash('ＷＮＩ')).toBe('WNI');
  });
});

describe('editDistance', () => {
  it.each([
    ['KAWIN', 'KAWIN', 0],
    ['KAWIN', 'KAWAN', 1],
    ['KAWIN', 'BELUMKAWIN', 5],
    ['', 'ABC', 3],
    ['ABC', '', 3],
  ])('counts %s → %s as %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it.each([
    ['0', 'O'], ['D', '0'], ['1', 'I'], ['L', '1'], ['5', 'S'], ['8', 'B'], ['6', 'G'], ['2', 'Z'],
  ])('charges half an edit for the look-alikes %s and %s', (a, b) => {
    expect(editDistance(a, b)).toBe(0.5);
    expect(editDistance(b, a)).toBe(0.5);
  });

  it('gives up (Infinity) once the distance must exceed the limit', () => {
    expect(editDistance('KAWIN', 'BELUMKAWIN', 2)).toBe(Infinity);
    expect(editDistance('ABCDEF', 'UVWXYZ', 3)).toBe(Infinity);
    expect(editDistance('KAWIN', 'KAWAN', 1)).toBe(1);
  });
});

describe('allowedEdits', () => {
  it('lets short words absorb almost nothing and longer ones a quarter of their length', () => {
    expect(allowedEdits(3)).toBe(0.5);
    expect(allowedEdits(5)).toBe(1);
    expect(allowedEdits(10)).toBe(2);
    expect(allowedEdits(27)).toBe(6);
  });
});

describe('similarity', () => {
  it('is 1 for a perfect match and falls with the distance relative to the longer string', () => {
    expect(similarity(0, 'ABCD', 'ABCD')).toBe(1);
    expect(similarity(1, 'ABCD', 'ABCE')).toBe(0.75);
    expect(similarity(Infinity, 'A', 'B')).toBe(0);
    expect(similarity(0, '', '')).toBe(0);
  });
});

describe('bestMatch', () => {
  const candidates = [
    { key: 'KOTABANDUNG', id: 'kota', item: 'KOTA BANDUNG' },
    { key: 'BANDUNG', id: 'kota', item: 'KOTA BANDUNG' },
    { key: 'KABUPATENBANDUNG', id: 'kab', item: 'KABUPATEN BANDUNG' },
    { key: 'BANDUNG', id: 'kab', item: 'KABUPATEN BANDUNG' },
  ];

  it('picks the closest entry within its allowance', () => {
    expect(bestMatch('KOTABANDUNC', candidates)).toMatchObject({ item: 'KOTA BANDUNG', distance: 1 });
  });

  it('refuses a tie between two different entries', () => {
    expect(bestMatch('BANDUNG', candidates)).toBeNull();
  });

  it('does not count two spellings of one entry as a tie', () => {
    const aliases = [
      { key: 'KATOLIK', id: 'k', item: 'KATOLIK' },
      { key: 'KATHOLIK', id: 'k', item: 'KATOLIK' },
    ];
    expect(bestMatch('KATHOLK', aliases)?.item).toBe('KATOLIK');
  });

  it('refuses anything beyond the allowance', () => {
    expect(bestMatch('SURABAYA', candidates)).toBeNull();
  });
});
