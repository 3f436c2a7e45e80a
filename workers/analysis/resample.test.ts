// The resampler: lengths follow the rate ratio, a tone below the new Nyquist frequency keeps its level
// and frequency, one above it is removed, and the common 44.1/48 kHz → 16 kHz conversions are quick.
import { describe, expect, it } from 'vitest';
import { resample } from './resample';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: rate * seconds }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array, from = 0, to = x.length) => Math.sqrt(x.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));

describe('resample', () => {
  it('keeps a tone in the pass band and removes one above the new Nyquist frequency', () => {
    for (const rate of [48_000, 44_100, 22_050, 8_000]) {
      const out = resample(tone(440, rate, 1), rate, 16_000);
      expect(out).toHaveLength(16_000);
      // Away from the edges, the level of a sine (1/√2) and its phase against a 16 kHz sine.
      expect(rms(out, 500, 15_500)).toBeCloseTo(Math.SQRT1_2, 2);
      const reference = tone(440, 16_000, 1);
      let error = 0;
      for (let i = 500; i < 15_500; i++) error = Math.max(error, Math.abs(out[i]! - reference[i]!));
      expect(error).toBeLessThan(0.01);
    }
    const alias = resample(tone(11_000, 48_000, 1), 48_000, 16_000);
    expect(rms(alias, 500, 15_500)).toBeLessThan(0.01);
  });

  it('returns a copy at the same rate and refuses rates that are not positive', () => {
    const x = tone(100, 16_000, 0.1);
    const y = resample(x, 16_000, 16_000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resample(x, 0, 16_000)).toThrow(RangeError);
  });
});
