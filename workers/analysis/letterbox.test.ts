// Unit tests for the letterbox geometry, the way back to source pixels, IoU and the tensor fill.
// Fed hand-made frame sizes and tiny RGB24 frames with known values; returns nothing (vitest assertions).
import { describe, expect, it } from 'vitest';
import { fillInputTensor, iou, letterbox, toSourceBox, toSourcePoint, type Box } from './letterbox';

function frame(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(pixel(x, y), (y * width + x) * 3);
  return rgb;
}

function at(tensor: Float32Array, size: number, x: number, y: number): number[] {
  const o = (y * size + x) * 3;
  return Array.from(tensor.subarray(o, o + 3));
}

describe('letterbox', () => {
  it('fits a landscape frame to the width and pads above and below', () => {
    expect(letterbox(1280, 720, 128)).toEqual({ size: 128, scale: 0.1, offsetX: 0, offsetY: 28 });
  });

  it('fits a portrait frame to the height and pads left and right', () => {
    const fit = letterbox(360, 640, 192);
    expect(fit.scale).toBeCloseTo(0.3, 12);
    expect(fit.offsetX).toBeCloseTo(42, 12);
    expect(fit.offsetY).toBe(0);
  });

  it('rejects empty sizes', () => {
    expect(() => letterbox(0, 720, 128)).toThrow(RangeError);
  });
});

describe('toSourceBox / toSourcePoint', () => {
  it('maps normalized model coordinates back to source pixels through the padding', () => {
    const fit = letterbox(1280, 720, 128);
    // Model pixel (64, 64) is the frame centre; 12.8 model px are 128 source px.
    expect(toSourcePoint([0.5, 0.5], fit)).toEqual([640, 360]);
    const box = toSourceBox([0.45, 0.45, 0.1, 0.1], fit);
    [576, 296, 128, 128].forEach((v, i) => expect(box[i]).toBeCloseTo(v, 9));
  });

  it('round-trips a source box through the model space of a portrait frame', () => {
    const fit = letterbox(360, 640, 192);
    const source: Box = [100, 200, 80, 90];
    const model: Box = [
      (source[0] * fit.scale + fit.offsetX) / fit.size,
      (source[1] * fit.scale + fit.offsetY) / fit.size,
      (source[2] * fit.scale) / fit.size,
      (source[3] * fit.scale) / fit.size,
    ];
    toSourceBox(model, fit).forEach((v, i) => expect(v).toBeCloseTo(source[i]!, 9));
  });
});

describe('iou', () => {
  it('is 1 for equal boxes, 0 for disjoint or touching ones, and the area ratio in between', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [10, 0, 10, 10])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(50 / 150, 12);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('fillInputTensor', () => {
  it('writes the same values planar in NCHW', () => {
    const rgb = Uint8Array.from({ length: 2 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const nhwc = fillInputTensor(rgb, 4, 2, 4, 'nhwc', [0, 1]);
    const nchw = fillInputTensor(rgb, 4, 2, 4, 'nchw', [0, 1]);
    for (let p = 0; p < 16; p++) for (let c = 0; c < 3; c++) expect(nchw[c * 16 + p]).toBe(nhwc[p * 3 + c]);
  });

  it('copies a frame of the model size unchanged, normalised to [-1, 1] or [0, 1]', () => {
    const rgb = frame(4, 4, (x, y) => [x * 60, y * 60, 255]);
    const signed = fillInputTensor(rgb, 4, 4, 4, 'nhwc', [-1, 1]);
    expect(at(signed, 4, 0, 0)).toEqual([-1, -1, 1]);
    expect(at(signed, 4, 3, 2)[0]).toBeCloseTo((180 / 255) * 2 - 1, 6);
    expect(at(signed, 4, 3, 2)[1]).toBeCloseTo((120 / 255) * 2 - 1, 6);
    const unit = fillInputTensor(rgb, 4, 4, 4, 'nhwc', [0, 1]);
    expect(at(unit, 4, 2, 1)[0]).toBeCloseTo(120 / 255, 6);
  });

  it('interpolates bilinearly with half-pixel centres, clamped at the frame edge', () => {
    const rgb = frame(2, 2, (x) => [x * 255, 0, 0]);
    const t = fillInputTensor(rgb, 2, 2, 4, 'nhwc', [0, 1]);
    [0, 0.25, 0.75, 1].forEach((v, x) => expect(at(t, 4, x, 1)[0]).toBeCloseTo(v, 6));
  });

  it('pads a landscape frame with black above and below the content', () => {
    // 8×4 white frame into 8×8: content rows 2..5, padding rows 0..1 and 6..7.
    const rgb = frame(8, 4, () => [255, 255, 255]);
    const t = fillInputTensor(rgb, 8, 4, 8, 'nhwc', [-1, 1]);
    for (let y = 0; y < 8; y++) {
      const expected = y >= 2 && y < 6 ? 1 : -1;
      for (let x = 0; x < 8; x++) expect(at(t, 8, x, y)).toEqual([expected, expected, expected]);
    }
  });

  it('pads a portrait frame left and right and scales it down', () => {
    // 4×8 frame, left half red, right half green, into 4×4: content columns 1..2 at half scale.
    const rgb = frame(4, 8, (x) => (x < 2 ? [255, 0, 0] : [0, 255, 0]));
    const t = fillInputTensor(rgb, 4, 8, 4, 'nhwc', [0, 1]);
    expect(at(t, 4, 0, 2)).toEqual([0, 0, 0]);
    expect(at(t, 4, 3, 2)).toEqual([0, 0, 0]);
    expect(at(t, 4, 1, 2)).toEqual([1, 0, 0]);
    expect(at(t, 4, 2, 2)).toEqual([0, 1, 0]);
  });

  it('writes into the given buffer and checks sizes', () => {
    const rgb = frame(4, 4, () => [10, 20, 30]);
    const out = new Float32Array(4 * 4 * 3);
    expect(fillInputTensor(rgb, 4, 4, 4, 'nhwc', [0, 1], out)).toBe(out);
    expect(() => fillInputTensor(rgb, 4, 4, 4, 'nhwc', [0, 1], new Float32Array(10))).toThrow(RangeError);
    expect(() => fillInputTensor(rgb.subarray(3), 4, 4, 4, 'nhwc', [0, 1])).toThrow(RangeError);
  });
});
