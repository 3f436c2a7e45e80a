// Unit tests for the face-mesh crop geometry: the square crop around a box or a mesh, the crop's
// tensor fill (values, bilinear sampling, black outside the frame), the way back to frame pixels,
// following the mesh between frames, and a track's box between its sampled detections.
import { describe, expect, it } from 'vitest';
import {
  boxAt,
  faceMeshCrop,
  fillFaceMeshTensor,
  fillFaceMeshTensorYuv420,
  followCrop,
  meshCrop,
  meshDecodeSide,
  meshToFrame,
  scaleBox,
} from './face-mesh-crop';

function frame(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(pixel(x, y), (y * width + x) * 3);
  return rgb;
}

const at = (t: Float32Array, size: number, x: number, y: number) => Array.from(t.subarray((y * size + x) * 3, (y * size + x) * 3 + 3));

describe('faceMeshCrop', () => {
  it('centres a square of 1.5 × the longer side on the box', () => {
    expect(faceMeshCrop([100, 50, 40, 80])).toEqual({ x: 60, y: 30, side: 120 });
  });

  it('scales boxes between pixel spaces', () => {
    expect(scaleBox([10, 20, 30, 40], 0.5, 2)).toEqual([5, 40, 15, 80]);
  });
});

describe('fillFaceMeshTensor', () => {
  it('copies pixels 1:1 in [0, 1] when the crop is the tensor size', () => {
    const rgb = frame(8, 6, (x, y) => [x * 10, y * 10, 255]);
    const t = fillFaceMeshTensor(rgb, 8, 6, { x: 2, y: 1, side: 4 }, 4);
    expect(at(t, 4, 0, 0)).toEqual([20 / 255, 10 / 255, 1].map(Math.fround));
    expect(at(t, 4, 3, 2)).toEqual([50 / 255, 30 / 255, 1].map(Math.fround));
  });

  it('samples bilinearly between pixels when shrinking', () => {
    const rgb = frame(4, 4, (x) => [x * 60, 0, 0]);
    // 4 px → 2: each output pixel centre falls halfway between two source pixels.
    const t = fillFaceMeshTensor(rgb, 4, 4, { x: 0, y: 0, side: 4 }, 2);
    expect(t[0]).toBeCloseTo(30 / 255, 6);
    expect(at(t, 2, 1, 0)[0]).toBeCloseTo(150 / 255, 6);
  });

  it('is black where the crop leaves the frame', () => {
    const rgb = frame(4, 4, () => [255, 255, 255]);
    const t = fillFaceMeshTensor(rgb, 4, 4, { x: -4, y: 0, side: 8 }, 8);
    expect(at(t, 8, 0, 0)).toEqual([0, 0, 0]);
    expect(at(t, 8, 5, 2)).toEqual([1, 1, 1]);
    expect(at(t, 8, 5, 6)).toEqual([0, 0, 0]);
  });

  it('rejects a short frame or a wrong-sized output', () => {
    expect(() => fillFaceMeshTensor(new Uint8Array(10), 4, 4, { x: 0, y: 0, side: 4 }, 4)).toThrow(RangeError);
    expect(() => fillFaceMeshTensor(new Uint8Array(48), 4, 4, { x: 0, y: 0, side: 4 }, 4, new Float32Array(3))).toThrow(RangeError);
  });
});

/** RGB24 → limited-range BT.601 yuv420p, chroma averaged over each 2×2 block (as ffmpeg would). */
function toYuv420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const yuv = new Float64Array(width * height * 1.5);
  const cw = width / 2;
  const uAt = width * height;
  const vAt = uAt + cw * (height / 2);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = Array.from(rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), (v) => v / 255) as [number, number, number];
      yuv[y * width + x] = 16 + 65.481 * r + 128.553 * g + 24.966 * b;
      const c = (y >> 1) * cw + (x >> 1);
      yuv[uAt + c]! += (128 - 37.797 * r - 74.203 * g + 112 * b) / 4;
      yuv[vAt + c]! += (128 + 112 * r - 93.786 * g - 18.214 * b) / 4;
    }
  return Uint8Array.from(yuv, Math.round);
}

describe('fillFaceMeshTensorYuv420', () => {
  const width = 64;
  const height = 48;
  const rgb = frame(width, height, (x, y) => [40 + 2 * x, 200 - 3 * y, 60 + x + y]);
  const yuv = toYuv420(rgb, width, height);

  it('gives the RGB fill’s values, within the rounding of YUV', () => {
    const crop = { x: 10.3, y: 5.7, side: 30.5 };
    const fromRgb = fillFaceMeshTensor(rgb, width, height, crop, 16);
    const fromYuv = fillFaceMeshTensorYuv420(yuv, width, height, crop, 16);
    const worst = fromRgb.reduce((m, v, i) => Math.max(m, Math.abs(v - fromYuv[i]!)), 0);
    expect(worst).toBeLessThan(4 / 255);
  });

  it('is black where the crop leaves the frame and clamps to [0, 1]', () => {
    const t = fillFaceMeshTensorYuv420(yuv, width, height, { x: -32, y: 0, side: 64 }, 8);
    expect(at(t, 8, 0, 0)).toEqual([0, 0, 0]);
    expect(at(t, 8, 6, 2).every((v) => v > 0)).toBe(true);
    const white = fillFaceMeshTensorYuv420(new Uint8Array(24).fill(255), 4, 4, { x: 0, y: 0, side: 4 }, 4);
    expect(Math.max(...white)).toBe(1);
  });

  it('rejects odd sizes, a short frame or a wrong-sized output', () => {
    expect(() => fillFaceMeshTensorYuv420(new Uint8Array(100), 5, 4, { x: 0, y: 0, side: 4 }, 4)).toThrow(RangeError);
    expect(() => fillFaceMeshTensorYuv420(new Uint8Array(10), 4, 4, { x: 0, y: 0, side: 4 }, 4)).toThrow(RangeError);
    expect(() => fillFaceMeshTensorYuv420(new Uint8Array(24), 4, 4, { x: 0, y: 0, side: 4 }, 4, new Float32Array(3))).toThrow(RangeError);
  });
});

describe('meshDecodeSide', () => {
  const track = (...sides: number[]) => sides.map((s, i) => ({ timestamp: i, bbox: [0, 0, s, s] as [number, number, number, number] }));

  it('decodes small enough that the smallest track’s median crop keeps 1.2 × the model input', () => {
    // Median face 240 px → crop 360 px in a 1920 source; 1.2 × 192 = 230.4 px needs 1920 × 230.4 / 360.
    expect(meshDecodeSide([track(200, 240, 900), track(500)], 1920, 1280)).toBe(1229);
  });

  it('never goes above the limit or the source, and keeps both without faces', () => {
    expect(meshDecodeSide([track(40)], 1920, 1280)).toBe(1280);
    expect(meshDecodeSide([track(40)], 640, 1280)).toBe(640);
    expect(meshDecodeSide([[], track()], 1920, 1280)).toBe(1280);
  });
});

describe('meshToFrame and meshCrop', () => {
  it('maps crop pixels back to the frame', () => {
    expect(Array.from(meshToFrame([0, 0, 0, 192, 96, 10], { x: 100, y: 50, side: 384 }))).toEqual([100, 50, 0, 484, 242, 20]);
  });

  it('puts the crop around the mesh’s extent', () => {
    expect(meshCrop([10, 20, 0, 50, 100, 5, 30, 60, 0])).toEqual({ x: -30, y: 0, side: 120 });
  });
});

describe('followCrop', () => {
  const fromBox = { x: 100, y: 100, side: 200 };

  it('follows the previous mesh while it stays near the box', () => {
    const fromMesh = { x: 120, y: 90, side: 190 };
    expect(followCrop(fromBox, fromMesh)).toBe(fromMesh);
  });

  it('falls back to the box without a mesh or when the mesh drifted away', () => {
    expect(followCrop(fromBox, null)).toBe(fromBox);
    expect(followCrop(fromBox, { x: 200, y: 100, side: 200 })).toBe(fromBox);
  });
});

describe('boxAt', () => {
  const detections = [
    { timestamp: 1, bbox: [0, 0, 10, 10] as [number, number, number, number] },
    { timestamp: 2, bbox: [10, 20, 30, 10] as [number, number, number, number] },
  ];

  it('interpolates between detections', () => {
    expect(boxAt(detections, 1.5, 0.05)).toEqual([5, 10, 20, 10]);
    expect(boxAt(detections, 2, 0.05)).toEqual([10, 20, 30, 10]);
  });

  it('holds the end boxes within the tolerance and gives null beyond', () => {
    expect(boxAt(detections, 0.96, 0.05)).toEqual([0, 0, 10, 10]);
    expect(boxAt(detections, 2.04, 0.05)).toEqual([10, 20, 30, 10]);
    expect(boxAt(detections, 0.9, 0.05)).toBeNull();
    expect(boxAt(detections, 2.1, 0.05)).toBeNull();
    expect(boxAt([], 1, 1)).toBeNull();
  });
});
