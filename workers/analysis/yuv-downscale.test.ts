// The YUV 4:2:0 → small RGBA downscaler: flat colours convert as BT.601 limited range says, each output
// pixel averages the block it covers, odd sizes and upscaling cover the whole frame, bad input throws.
import { describe, expect, it } from 'vitest';
import { downscaleYuv420ToRgba, sampleYuv420ToRgba } from './yuv-downscale';

function frame(width: number, height: number, y: (x: number, row: number) => number, u = 128, v = 128): Uint8Array {
  const data = new Uint8Array(width * height * 1.5);
  for (let r = 0; r < height; r++) for (let x = 0; x < width; x++) data[r * width + x] = y(x, r);
  data.fill(u, width * height, width * height * 1.25);
  data.fill(v, width * height * 1.25);
  return data;
}

describe('downscaleYuv420ToRgba', () => {
  it('converts flat colours with BT.601 limited range', () => {
    const grey = downscaleYuv420ToRgba(
      frame(8, 4, () => 126),
      8,
      4,
      4,
      2,
    );
    expect(Array.from(grey.subarray(0, 4))).toEqual([128, 128, 128, 255]);
    expect(
      Array.from(
        downscaleYuv420ToRgba(
          frame(4, 2, () => 16),
          4,
          2,
          2,
          1,
        ).subarray(0, 3),
      ),
    ).toEqual([0, 0, 0]);
    expect(
      Array.from(
        downscaleYuv420ToRgba(
          frame(4, 2, () => 235),
          4,
          2,
          2,
          1,
        ).subarray(0, 3),
      ),
    ).toEqual([255, 255, 255]);
    // Pure red in BT.601 limited range: Y 81, U 90, V 240.
    const red = downscaleYuv420ToRgba(
      frame(4, 2, () => 81, 90, 240),
      4,
      2,
      2,
      1,
    );
    expect(red[0]).toBeGreaterThan(250);
    expect(red[1]).toBeLessThan(5);
    expect(red[2]).toBeLessThan(5);
  });

  it('averages the block each output pixel covers', () => {
    // Left half black (16), right half white (235): halving keeps the edge, quartering blends the middle.
    const edge = frame(8, 4, (x) => (x < 4 ? 16 : 235));
    const half = downscaleYuv420ToRgba(edge, 8, 4, 4, 2);
    expect([half[0], half[4], half[8], half[12]]).toEqual([0, 0, 255, 255]);
    const one = downscaleYuv420ToRgba(edge, 8, 4, 1, 1);
    expect(one[0]).toBeGreaterThan(120);
    expect(one[0]).toBeLessThan(136);
  });

  it('covers the whole frame at uneven ratios and when upscaling', () => {
    const ramp = frame(10, 6, (x) => 16 + x * 20);
    const small = downscaleYuv420ToRgba(ramp, 10, 6, 3, 2);
    expect(small[0]).toBeLessThan(small[4]!);
    expect(small[4]).toBeLessThan(small[8]!);
    const big = downscaleYuv420ToRgba(ramp, 10, 6, 20, 12);
    expect(big).toHaveLength(20 * 12 * 4);
    expect(big[0]).toBe(big[4]);
  });

  it('refuses a buffer that is not a whole 4:2:0 frame', () => {
    expect(() => downscaleYuv420ToRgba(new Uint8Array(10), 8, 4, 4, 2)).toThrow(RangeError);
    expect(() => downscaleYuv420ToRgba(new Uint8Array(100), 7, 4, 4, 2)).toThrow(RangeError);
  });
});

describe('sampleYuv420ToRgba', () => {
  it('converts flat colours as the averaging scaler does', () => {
    for (const [y, u, v] of [
      [126, 128, 128],
      [16, 128, 128],
      [235, 128, 128],
      [81, 90, 240],
    ] as const) {
      const f = frame(16, 8, () => y, u, v);
      expect(Array.from(sampleYuv420ToRgba(f, 16, 8, 4, 2))).toEqual(Array.from(downscaleYuv420ToRgba(f, 16, 8, 4, 2)));
    }
  });

  it('interpolates between the pixels around each output centre, inside the frame', () => {
    // A horizontal ramp: samples rise left to right and stay within the ramp's range; a sharp edge stays sharp.
    const ramp = frame(64, 8, (x) => 16 + x * 3);
    const out = sampleYuv420ToRgba(ramp, 64, 8, 8, 2);
    const reds = Array.from({ length: 8 }, (_, i) => out[i * 4]!);
    for (let i = 1; i < 8; i++) expect(reds[i]).toBeGreaterThan(reds[i - 1]!);
    const average = downscaleYuv420ToRgba(ramp, 64, 8, 8, 2);
    // On a linear ramp a centre sample equals the block's average.
    for (let i = 0; i < 8; i++) expect(Math.abs(out[i * 4]! - average[i * 4]!)).toBeLessThanOrEqual(1);
    const edge = sampleYuv420ToRgba(
      frame(8, 4, (x) => (x < 4 ? 16 : 235)),
      8,
      4,
      4,
      2,
    );
    expect([edge[0], edge[4], edge[8], edge[12]]).toEqual([0, 0, 255, 255]);
    expect(sampleYuv420ToRgba(ramp, 64, 8, 200, 20)).toHaveLength(200 * 20 * 4);
  });

  it('refuses a buffer that is not a whole 4:2:0 frame', () => {
    expect(() => sampleYuv420ToRgba(new Uint8Array(10), 8, 4, 4, 2)).toThrow(RangeError);
  });
});
