// Word error rate: normalisation, each kind of edit, and the empty cases.
import { describe, expect, it } from 'vitest';
import { wer } from './wer';

describe('wer', () => {
  it('ignores case and punctuation, splitting on dashes', () => {
    expect(wer("Mr. Dashwood's forty-two, “Sir”!", 'mr dashwoods forty two sir')).toEqual({ errors: 0, words: 5, rate: 0 });
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wer('the cat sat on the mat', 'the bat sat on the mat').errors).toBe(1);
    expect(wer('the cat sat on the mat', 'the cat on the mat').errors).toBe(1);
    expect(wer('the cat sat on the mat', 'the cat sat down on the mat').errors).toBe(1);
    expect(wer('a b c d', 'x a b d y')).toEqual({ errors: 3, words: 4, rate: 0.75 });
  });

  it('handles empty texts', () => {
    expect(wer('', '')).toEqual({ errors: 0, words: 0, rate: 0 });
    expect(wer('a b', '').rate).toBe(1);
    expect(wer('', 'a b')).toEqual({ errors: 2, words: 0, rate: 2 });
  });
});
