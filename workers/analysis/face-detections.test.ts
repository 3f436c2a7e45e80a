// Unit tests for mapping face-detector outputs to source pixels: the letterbox and frame scaling undone,
// BlazeFace's tensors found by shape whatever their order, weak scores dropped. Fed synthetic outputs
// (one anchor firing); returns nothing.
import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors } from './blazeface';
import { blazeFaceDetections, sourceMapper } from './face-detections';

describe('sourceMapper', () => {
  it('undoes the letterbox and the frame scaling', () => {
    // A 192×108 frame of a 1280×720 source, letterboxed into 192: the frame sits at y 42..150.
    const map = sourceMapper(192, 108, 192, 1280, 720);
    expect(map.point([0.5, 0.5])).toEqual([640, 360]);
    const [x, y, w, h] = map.box([0, 42 / 192, 1, 108 / 192]);
    expect([x, y, w, h].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 0, 1280, 720]);
  });
});

describe('blazeFaceDetections', () => {
  const anchors = blazeFaceAnchors('full');
  const outputs = (logit: number) => {
    const scores = new Float32Array(anchors.length).fill(-20);
    const regressors = new Float32Array(anchors.length * 16);
    // The anchor nearest the middle fires with a 48-px box around it.
    const k = anchors.reduce(
      (best, a, i) => (Math.hypot(a[0] - 0.5, a[1] - 0.5) < Math.hypot(anchors[best]![0] - 0.5, anchors[best]![1] - 0.5) ? i : best),
      0,
    );
    scores[k] = logit;
    regressors[k * 16 + 2] = 48;
    regressors[k * 16 + 3] = 48;
    return {
      centre: anchors[k]!,
      tensors: [
        { dims: [1, anchors.length, 1], data: scores },
        { dims: [1, anchors.length, 16], data: regressors },
      ],
    };
  };

  it('decodes a face in source pixels, with its keypoints', () => {
    const { centre, tensors } = outputs(3);
    const [face] = blazeFaceDetections(tensors, 'full', 192, { width: 192, height: 108 }, { width: 1280, height: 720 });
    const scale = 1280 / 192;
    expect(face!.box[2]).toBeCloseTo(48 * scale, 6);
    expect(face!.box[0] + face!.box[2] / 2).toBeCloseTo(centre[0] * 192 * scale, 6);
    expect(face!.box[1] + face!.box[3] / 2).toBeCloseTo((centre[1] * 192 - 42) * scale, 6);
    expect(face!.landmarks).toHaveLength(6);
    expect(face!.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });

  it('keeps weak faces for the tracker down to 0.3, and refuses outputs it does not know', () => {
    expect(blazeFaceDetections(outputs(-0.5).tensors, 'full', 192, { width: 192, height: 108 }, { width: 1280, height: 720 })).toHaveLength(
      1,
    );
    expect(blazeFaceDetections(outputs(-1).tensors, 'full', 192, { width: 192, height: 108 }, { width: 1280, height: 720 })).toHaveLength(
      0,
    );
    expect(() => blazeFaceDetections([], 'full', 192, { width: 1, height: 1 }, { width: 1, height: 1 })).toThrow(/BlazeFace outputs/);
  });
});
