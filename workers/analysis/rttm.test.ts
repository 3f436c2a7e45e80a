// RTTM: parsing SPEAKER lines (skipping others) and writing them back losslessly at millisecond precision.
import { describe, expect, it } from 'vitest';
import { parseRttm, writeRttm } from './rttm';

describe('rttm', () => {
  it('parses speaker lines and ignores the rest', () => {
    const text =
      'SPKR-INFO f 1 <NA> <NA> <NA> unknown a <NA> <NA>\nSPEAKER f 1 6.690 0.430 <NA> <NA> speaker90 <NA> <NA>\n\nSPEAKER f 1 7.55 0.8 <NA> <NA> b <NA> <NA>\r\n';
    const turns = parseRttm(text);
    expect(turns).toHaveLength(2);
    expect(turns[0]).toEqual({ start: 6.69, end: 6.69 + 0.43, speaker: 'speaker90' });
    expect(turns[1]!.speaker).toBe('b');
  });

  it('rejects a speaker line with bad numbers', () => {
    expect(() => parseRttm('SPEAKER f 1 x 1 <NA> <NA> a <NA> <NA>')).toThrow(/Bad RTTM/);
  });

  it('writes what it parses', () => {
    const turns = [
      { start: 0.5, end: 1.25, speaker: 'S1' },
      { start: 2, end: 3.001, speaker: 'S2' },
    ];
    const text = writeRttm(turns, 'my clip');
    expect(text.split('\n')[0]).toBe('SPEAKER my_clip 1 0.500 0.750 <NA> <NA> S1 <NA> <NA>');
    const back = parseRttm(text);
    back.forEach((t, i) => {
      expect(t.start).toBeCloseTo(turns[i]!.start, 6);
      expect(t.end).toBeCloseTo(turns[i]!.end, 6);
      expect(t.speaker).toBe(turns[i]!.speaker);
    });
  });
});
