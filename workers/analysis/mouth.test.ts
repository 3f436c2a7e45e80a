// Unit tests for the mouth-open ratio on hand-placed landmarks: the lip gap over the mouth width,
// independent of the face's size, and guarded against short input and a zero-width mouth.
import { describe, expect, it } from 'vitest';
import { LOWER_INNER_LIP, MOUTH_CORNER_LEFT, MOUTH_CORNER_RIGHT, mouthOpenRatio, UPPER_INNER_LIP } from './mouth';

function mesh(points: Record<number, [number, number]>): Float32Array {
  const out = new Float32Array(468 * 3);
  for (const [i, [x, y]] of Object.entries(points)) out.set([x, y, 5], Number(i) * 3);
  return out;
}

const mouth = (gap: number, width: number, scale = 1) =>
  mesh({
    [UPPER_INNER_LIP]: [50 * scale, 100 * scale],
    [LOWER_INNER_LIP]: [50 * scale, (100 + gap) * scale],
    [MOUTH_CORNER_RIGHT]: [(50 - width / 2) * scale, 102 * scale],
    [MOUTH_CORNER_LEFT]: [(50 + width / 2) * scale, 102 * scale],
  });

describe('mouthOpenRatio', () => {
  it('is the inner-lip gap over the corner-to-corner width', () => {
    expect(mouthOpenRatio(mouth(12, 40))).toBeCloseTo(0.3, 6);
    expect(mouthOpenRatio(mouth(0, 40))).toBe(0);
  });

  it('does not depend on the face’s size', () => {
    expect(mouthOpenRatio(mouth(8, 40, 3))).toBeCloseTo(mouthOpenRatio(mouth(8, 40)), 6);
  });

  it('ignores depth: the ratio is measured in the image plane', () => {
    const m = mouth(10, 50);
    m[UPPER_INNER_LIP * 3 + 2] = 100;
    expect(mouthOpenRatio(m)).toBeCloseTo(0.2, 6);
  });

  it('is 0 for a zero-width mouth and rejects a short landmark array', () => {
    expect(mouthOpenRatio(new Float32Array(468 * 3))).toBe(0);
    expect(() => mouthOpenRatio(new Float32Array(100))).toThrow(RangeError);
  });
});
