// MFCC front end: FFT against a direct DFT, frame count and shape, deltas of a steady signal,
// per-file normalisation, features that separate two different sounds, and chunked input.
import { describe, expect, it } from 'vitest';
import { fft, melFilterbank, MfccExtractor, mfcc, normalizeFeatures } from './mfcc';

describe('fft', () => {
  it('matches a direct DFT', () => {
    const n = 16;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1) + (i % 3));
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let r = 0;
      let m = 0;
      for (let t = 0; t < n; t++) {
        r += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        m += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(r, 9);
      expect(im[k]).toBeCloseTo(m, 9);
    }
  });

  it('refuses lengths that are not powers of two', () => {
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow(/power of two/);
  });
});

describe('melFilterbank', () => {
  it('makes triangles that peak at 1 and overlap their neighbours', () => {
    const filters = melFilterbank(10, 512, 16_000, 20, 8000);
    expect(filters).toHaveLength(10);
    for (const f of filters) expect(Math.max(...f)).toBeGreaterThan(0.5);
    expect(filters[3]!.some((v, k) => v > 0 && filters[4]![k]! > 0)).toBe(true);
  });
});

const tone = (hz: number, seconds: number, sr = 16_000) =>
  Float32Array.from(
    { length: Math.round(seconds * sr) },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / sr) + 0.2 * Math.sin((2 * Math.PI * 3 * hz * i) / sr),
  );

describe('mfcc', () => {
  it('gives 25 ms frames every 10 ms with 19 cepstra and 19 deltas', () => {
    const f = mfcc(tone(200, 1));
    expect(f.dim).toBe(38);
    expect(f.hop).toBe(0.01);
    expect(f.frames).toBe(Math.floor((16_000 - 400) / 160) + 1);
    expect(f.data.every(Number.isFinite)).toBe(true);
    // A steady tone has (almost) no deltas away from the edges.
    const mid = 50 * 38;
    for (let c = 19; c < 38; c++) expect(Math.abs(f.data[mid + c]!)).toBeLessThan(1e-3);
  });

  it('returns no frames for input shorter than one frame, and stays finite on silence', () => {
    expect(mfcc(new Float32Array(100)).frames).toBe(0);
    expect(mfcc(new Float32Array(4000)).data.every(Number.isFinite)).toBe(true);
  });

  it('gives the same features whatever the chunks the audio arrives in', () => {
    const audio = Float32Array.from({ length: 16_000 + 77 }, (_, i) => Math.sin(i * 0.05) * 0.3 + Math.sin(i * 1.3) * 0.1);
    const whole = mfcc(audio);
    for (const sizes of [[1], [399, 401, 160], [5000]]) {
      const x = new MfccExtractor();
      for (let at = 0, i = 0; at < audio.length; i++) {
        const n = sizes[i % sizes.length]!;
        x.push(audio.subarray(at, at + n));
        at += n;
      }
      const f = x.finish();
      expect(f.frames).toBe(whole.frames);
      expect(Array.from(f.data)).toEqual(Array.from(whole.data));
    }
  });

  it('tells two sounds apart', () => {
    const a = mfcc(tone(150, 0.5));
    const b = mfcc(tone(900, 0.5));
    const distance = Math.hypot(...Array.from({ length: 19 }, (_, c) => a.data[20 * 38 + c]! - b.data[20 * 38 + c]!));
    expect(distance).toBeGreaterThan(5);
  });
});

describe('normalizeFeatures', () => {
  it('gives every column zero mean and unit variance', () => {
    const both = new Float32Array([...tone(150, 0.5), ...tone(900, 0.5)]);
    const f = normalizeFeatures(mfcc(both));
    for (const c of [0, 5, 18, 20]) {
      let s = 0;
      let q = 0;
      for (let i = 0; i < f.frames; i++) {
        s += f.data[i * f.dim + c]!;
        q += f.data[i * f.dim + c]! ** 2;
      }
      expect(s / f.frames).toBeCloseTo(0, 4);
      expect(q / f.frames).toBeCloseTo(1, 3);
    }
  });
});
