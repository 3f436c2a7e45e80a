// Unit tests for FrameSampler: the kept frames of 25, 30 and 29.97 fps streams at the server's 10 and
// 25 fps, and irregular timestamps. Fed synthetic presentation times; returns nothing.
import { describe, expect, it } from 'vitest';
import { FrameSampler } from './frame-sampler';

const kept = (fps: number, times: number[]) => {
  const sampler = new FrameSampler(fps);
  return times.filter((t) => sampler.keep(t));
};
const stream = (rate: number, seconds: number, offset = 0) =>
  Array.from({ length: Math.round(rate * seconds) }, (_, i) => offset + i / rate);

describe('FrameSampler', () => {
  it('keeps 10 frames a second of 25, 30 and 29.97 fps video, the first of each slot', () => {
    for (const rate of [25, 30, 30000 / 1001]) expect(kept(10, stream(rate, 4))).toHaveLength(40);
    expect(kept(10, stream(25, 1)).map((t) => Math.round(t * 25))).toEqual([0, 3, 5, 8, 10, 13, 15, 18, 20, 23]);
  });

  it('keeps every frame of 25 fps video at 25, and 25 a second of 30 fps', () => {
    expect(kept(25, stream(25, 2, 0.021))).toHaveLength(50);
    expect(kept(25, stream(30, 2))).toHaveLength(50);
  });

  it('follows the previous kept frame, not the grid, across a gap', () => {
    expect(kept(10, [0, 0.05, 0.5, 0.55, 0.61, 0.7])).toEqual([0, 0.5, 0.61, 0.7]);
    expect(() => new FrameSampler(0)).toThrow(RangeError);
  });
});
