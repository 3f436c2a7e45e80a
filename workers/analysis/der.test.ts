// DER: perfect and relabelled hypotheses score 0, collars forgive boundary slips, and missed speech,
// false alarms, confusion and overlap are counted as md-eval counts them.
import { describe, expect, it } from 'vitest';
import { bestAssignment, diarizationErrorRate } from './der';

const ref = [
  { start: 0, end: 4, speaker: 'a' },
  { start: 4, end: 10, speaker: 'b' },
];

describe('diarizationErrorRate', () => {
  it('is zero for the reference itself under other names', () => {
    const r = diarizationErrorRate(ref, [
      { start: 0, end: 4, speaker: 'S2' },
      { start: 4, end: 10, speaker: 'S1' },
    ]);
    expect(r.der).toBe(0);
    expect(r.mapping.get('a')).toBe('S2');
    // 10 s minus the collars (0–0.25, 3.75–4.25, 9.75–10).
    expect(r.scored).toBeCloseTo(9, 6);
  });

  it('forgives boundary slips inside the collar only', () => {
    const late = [
      { start: 0, end: 4.2, speaker: 'x' },
      { start: 4.2, end: 10, speaker: 'y' },
    ];
    expect(diarizationErrorRate(ref, late).der).toBe(0);
    const r = diarizationErrorRate(ref, late, { collar: 0 });
    expect(r.confusion).toBeCloseTo(0.2, 6);
    expect(r.der).toBeCloseTo(0.02, 6);
  });

  it('counts missed speech, false alarms and confusion', () => {
    const r = diarizationErrorRate(
      ref,
      [
        { start: 0, end: 2, speaker: 'x' },
        { start: 2, end: 4, speaker: 'y' },
        { start: 5, end: 12, speaker: 'y' },
      ],
      { collar: 0 },
    );
    expect(r.confusion).toBeCloseTo(2, 6);
    expect(r.missed).toBeCloseTo(1, 6);
    expect(r.falseAlarm).toBeCloseTo(2, 6);
    expect(r.der).toBeCloseTo(0.5, 6);
  });

  it('scores overlapping reference speech for each speaker', () => {
    const overlap = [...ref, { start: 6, end: 8, speaker: 'c' }];
    const r = diarizationErrorRate(overlap, ref, { collar: 0 });
    expect(r.scored).toBeCloseTo(12, 6);
    expect(r.missed).toBeCloseTo(2, 6);
  });

  it('is zero when there is nothing to score', () => {
    expect(diarizationErrorRate([], []).der).toBe(0);
  });
});

describe('bestAssignment', () => {
  it('maximises the total, not each row greedily', () => {
    expect(
      bestAssignment([
        [5, 4],
        [4, 0],
      ]),
    ).toEqual([1, 0]);
    expect(bestAssignment([[1], [3]])).toEqual([-1, 0]);
  });
});
