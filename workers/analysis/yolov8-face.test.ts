// Unit tests for YOLOv8-face decoding: layout, normalisation, score handling, keypoints and NMS.
// Fed hand-built channels-first output arrays with and without keypoints; returns nothing.
import { describe, expect, it } from 'vitest';
import { decodeYoloV8Face } from './yolov8-face';

type Candidate = { box: [number, number, number, number]; score: number; keypoints?: [number, number, number][] };

/** Packs candidates (cx, cy, w, h in input px) into a [1, C, N] channels-first array. */
function pack(candidates: Candidate[], withKeypoints: boolean): { output: Float32Array; dims: number[] } {
  const channels = withKeypoints ? 20 : 5;
  const n = candidates.length;
  const output = new Float32Array(channels * n);
  candidates.forEach((c, i) => {
    const values = [...c.box, c.score, ...(withKeypoints ? (c.keypoints ?? []).flat() : [])];
    values.forEach((v, ch) => (output[ch * n + i] = v));
  });
  return { output, dims: [1, channels, n] };
}

describe('decodeYoloV8Face', () => {
  it('decodes box-only output into boxes normalized to the input, suppressing overlaps at IoU 0.45', () => {
    const { output, dims } = pack(
      [
        { box: [320, 320, 64, 64], score: 0.8 },
        { box: [324, 322, 64, 64], score: 0.9 }, // same face, better score: kept instead
        { box: [100, 200, 32, 48], score: 0.6 }, // another face
        { box: [500, 500, 40, 40], score: 0.1 }, // too weak
      ],
      false,
    );
    const faces = decodeYoloV8Face(output, dims, 640);
    expect(faces).toHaveLength(2);
    expect(faces[0]!.score).toBeCloseTo(0.9, 6);
    [292 / 640, 290 / 640, 0.1, 0.1].forEach((v, i) => expect(faces[0]!.box[i]).toBeCloseTo(v, 6));
    [84 / 640, 176 / 640, 0.05, 0.075].forEach((v, i) => expect(faces[1]!.box[i]).toBeCloseTo(v, 6));
    expect(faces[1]!.keypoints).toEqual([]);
    expect(faces[1]!.keypointScores).toEqual([]);
  });

  it('keeps two boxes whose overlap is at or under the NMS threshold', () => {
    // Same size, shifted by 1/3 of the width: IoU = (2/3) / (4/3) = 0.5 > 0.45, suppressed; 0.4 shift: 0.43, kept.
    const suppressed = pack(
      [
        { box: [100, 100, 60, 60], score: 0.9 },
        { box: [120, 100, 60, 60], score: 0.8 },
      ],
      false,
    );
    expect(decodeYoloV8Face(suppressed.output, suppressed.dims, 640)).toHaveLength(1);
    const kept = pack(
      [
        { box: [100, 100, 60, 60], score: 0.9 },
        { box: [124, 100, 60, 60], score: 0.8 },
      ],
      false,
    );
    expect(decodeYoloV8Face(kept.output, kept.dims, 640)).toHaveLength(2);
  });

  it('decodes five keypoints with their visibility', () => {
    const keypoints: [number, number, number][] = [
      [300, 300, 0.9],
      [340, 300, 0.8],
      [320, 320, 0.95],
      [305, 340, 0.7],
      [335, 340, 0.6],
    ];
    const { output, dims } = pack([{ box: [320, 320, 80, 100], score: 0.7, keypoints }], true);
    const [face] = decodeYoloV8Face(output, dims, 640);
    expect(face!.keypoints).toHaveLength(5);
    face!.keypoints.forEach(([x, y], k) => {
      expect(x).toBeCloseTo(keypoints[k]![0] / 640, 6);
      expect(y).toBeCloseTo(keypoints[k]![1] / 640, 6);
    });
    face!.keypointScores.forEach((s, k) => expect(s).toBeCloseTo(keypoints[k]![2], 6));
  });

  it('applies the sigmoid to scores and visibilities when the export leaves logits', () => {
    const kp: [number, number, number] = [0, 0, 0];
    const { output, dims } = pack(
      [
        { box: [100, 100, 50, 50], score: 2, keypoints: [kp, kp, kp, kp, kp] },
        { box: [400, 400, 50, 50], score: -2, keypoints: [kp, kp, kp, kp, kp] },
      ],
      true,
    );
    const faces = decodeYoloV8Face(output, dims, 640, { scoresAreLogits: true });
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(faces[0]!.keypointScores).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('honours minScore', () => {
    const { output, dims } = pack([{ box: [100, 100, 50, 50], score: 0.35 }], false);
    expect(decodeYoloV8Face(output, dims, 640)).toHaveLength(1);
    expect(decodeYoloV8Face(output, dims, 640, { minScore: 0.5 })).toHaveLength(0);
  });

  it('rejects other layouts', () => {
    expect(() => decodeYoloV8Face(new Float32Array(6 * 2), [1, 6, 2], 640)).toThrow(RangeError);
    expect(() => decodeYoloV8Face(new Float32Array(10), [1, 5, 3], 640)).toThrow(RangeError);
    expect(() => decodeYoloV8Face(new Float32Array(10), [5, 2], 640)).toThrow(RangeError);
  });
});
