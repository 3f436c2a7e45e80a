// Unit tests for the face-mesh crop geometry: the square crop around a box or a mesh, the crop's
// tensor fill (values, bilinear sampling, black outside the frame), the way back to frame pixels,
// following the mesh between frames, and a track's box between its sampled detections.
import { describe, expect, it } from 'vitest';
import { boxAt, faceMeshCrop, fillFaceMeshTensor, followCrop, meshCrop, meshToFrame, scaleBox } from './face-mesh-crop';

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
