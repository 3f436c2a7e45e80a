// Unit tests for the per-track meshing loop: crops from the interpolated box in decoded-frame pixels,
// following the previous mesh, no sample outside the track, a null ratio when the face is absent.
// Fed a synthetic mesh runner (a fixed mouth in crop pixels); returns nothing.
import { describe, expect, it } from 'vitest';
import type { MeshCrop } from './face-mesh-crop';
import { LOWER_INNER_LIP, MOUTH_CORNER_LEFT, MOUTH_CORNER_RIGHT, UPPER_INNER_LIP } from './mouth';
import { TrackMesher, type MeshRun } from './track-mesher';

/** A mesh in model-input pixels: every point at the crop centre except a mouth 40 wide and `open` tall. */
function mesh(open: number): Float32Array {
  const m = new Float32Array(468 * 3).fill(96);
  const put = (i: number, x: number, y: number) => ((m[3 * i] = x), (m[3 * i + 1] = y));
  put(MOUTH_CORNER_RIGHT, 76, 130);
  put(MOUTH_CORNER_LEFT, 116, 130);
  put(UPPER_INNER_LIP, 96, 130 - open / 2);
  put(LOWER_INNER_LIP, 96, 130 + open / 2);
  // The outline spans most of the crop, so the crop around the mesh stays near the box's crop.
  put(0, 32, 32);
  put(1, 160, 160);
  return m;
}

const detections = [
  { timestamp: 0, bbox: [100, 100, 100, 100] as [number, number, number, number] },
  { timestamp: 1, bbox: [300, 100, 100, 100] as [number, number, number, number] },
];

describe('TrackMesher', () => {
  it('meshes the interpolated box scaled to the frame, and measures the mouth', async () => {
    const crops: MeshCrop[] = [];
    const mesher = new TrackMesher(detections, { sx: 0.5, sy: 0.5, tolerance: 0.05 });
    const run: MeshRun = async () => ({ mesh: mesh(10), presenceLogit: 5 });
    await mesher.push({ timestamp: 0.5, frame: 12 }, (crop) => crops.push(crop), run, new Float32Array(1));
    // Box at 0.5 s: [200, 100, 100, 100] → half size [100, 50, 50, 50] → a 75-px crop around its centre.
    expect(crops[0]).toEqual({ x: 87.5, y: 37.5, side: 75 });
    expect(mesher.samples).toEqual([{ timestamp: 0.5, frame_number: 12, ratio: 0.25 }]);
  });

  it('follows its previous mesh, leaves frames outside the track out, and records an absent face as null', async () => {
    const crops: MeshCrop[] = [];
    const mesher = new TrackMesher(detections, { sx: 1, sy: 1, tolerance: 0.05 });
    let presence = 5;
    const run: MeshRun = async () => ({ mesh: mesh(8), presenceLogit: presence });
    const fill = (crop: MeshCrop) => crops.push(crop);
    await mesher.push({ timestamp: 0, frame: 0 }, fill, run, new Float32Array(1));
    await mesher.push({ timestamp: 0.04, frame: 1 }, fill, run, new Float32Array(1));
    // The second crop comes from the first mesh (outline 32..160 of a 150-px crop), not the moved box.
    expect(crops[1]).not.toEqual({ x: 83, y: 75, side: 150 });
    expect(crops[1]!.side).toBeCloseTo(150, 6);
    await mesher.push({ timestamp: 2, frame: 50 }, fill, run, new Float32Array(1));
    presence = -5;
    await mesher.push({ timestamp: 1, frame: 25 }, fill, run, new Float32Array(1));
    expect(crops).toHaveLength(3);
    expect(mesher.samples.map((s) => s.ratio)).toEqual([0.2, 0.2, null]);
  });
});
