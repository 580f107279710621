import { describe, expect, it } from 'vitest';
import { readCardDate, readRtRw } from '../../../../src/providers/local/reading/digits.ts';

describe('readRtRw', () => {
  it('reads RT and RW either side of the slash', () => {
    expect(readRtRw('006/003')).toEqual({ rt: '006', rw: '003', exact: true });
  });

  it('corrects letters read for digits', () => {
    expect(readRtRw('O06/OI3')).toEqual({ rt: '006', rw: '013', exact: true });
  });

  it('recovers a slash read as a digit', () => {
    expect(readRtRw('0061003')).toEqual({ rt: '006', rw: '003', exact: true });
  });

  it('pads a part whose leading zero was lost, and says the read was not exact', () => {
    expect(readRtRw('06/003')).toEqual({ rt: '006', rw: '003', exact: false });
  });

  it('gives up on something that is not an RT/RW', () => {
    expect(readRtRw('ABCDEF')).toBeNull();
    expect(readRtRw('1234/5')).toBeNull();
  });
});

describe('readCardDate', () => {
  it('reads a printed date, with or without its dashes', () => {
    expect(readCardDate('12-05-1990')).toBe('12-05-1990');
    expect(readCardDate('12051990')).toBe('12-05-1990');
  });

  it('corrects letters read for digits', () => {
    expect(readCardDate('O1-O5-I99O')).toBe('01-05-1990');
  });

  it('rejects dates that do not exist', () => {
    expect(readCardDate('31-02-1990')).toBeNull();
    expect(readCardDate('SEUMURHIDUP')).toBeNull();
  });
});
