// Unit tests for BlazeFace decoding: generated anchors, box/keypoint regression, scores and weighted
// suppression. Fed hand-made output tensors (all anchors silent but a chosen few); returns nothing.
import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors, decodeBlazeFace, type BlazeFaceVariant } from './blazeface';

const SILENT = -50;

function tensors(variant: BlazeFaceVariant): { scores: Float32Array; regressors: Float32Array } {
  const n = blazeFaceAnchors(variant).length;
  return { scores: new Float32Array(n).fill(SILENT), regressors: new Float32Array(n * 16) };
}

/** Sets one anchor's logit and regression: box centre offset, size, and all keypoints at one offset. */
function fire(
  t: { scores: Float32Array; regressors: Float32Array },
  anchor: number,
  logit: number,
  [dx, dy, w, h]: [number, number, number, number],
  keypointOffset: [number, number] = [0, 0],
): void {
  t.scores[anchor] = logit;
  const r = anchor * 16;
  t.regressors.set([dx, dy, w, h], r);
  for (let k = 0; k < 6; k++) t.regressors.set(keypointOffset, r + 4 + 2 * k);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('blazeFaceAnchors', () => {
  it('generates the 896 short-range anchors: 16×16×2 at stride 8, then 8×8×6 at stride 16', () => {
    const anchors = blazeFaceAnchors('short');
    expect(anchors).toHaveLength(896);
    expect(anchors[0]).toEqual([0.5 / 16, 0.5 / 16]);
    expect(anchors[1]).toEqual([0.5 / 16, 0.5 / 16]);
    expect(anchors[2]).toEqual([1.5 / 16, 0.5 / 16]);
    expect(anchors[511]).toEqual([15.5 / 16, 15.5 / 16]);
    expect(anchors[512]).toEqual([0.5 / 8, 0.5 / 8]);
    expect(anchors[517]).toEqual([0.5 / 8, 0.5 / 8]);
    expect(anchors[518]).toEqual([1.5 / 8, 0.5 / 8]);
    expect(anchors[895]).toEqual([7.5 / 8, 7.5 / 8]);
  });

  it('generates the 2304 full-range anchors: 48×48×1 at stride 4', () => {
    const anchors = blazeFaceAnchors('full');
    expect(anchors).toHaveLength(2304);
    expect(anchors[0]).toEqual([0.5 / 48, 0.5 / 48]);
    expect(anchors[48]).toEqual([0.5 / 48, 1.5 / 48]);
    expect(anchors[2303]).toEqual([47.5 / 48, 47.5 / 48]);
  });
});

describe('decodeBlazeFace', () => {
  it('decodes one strong anchor into a box and six keypoints relative to the anchor, in input units', () => {
    const t = tensors('short');
    // Anchor 2 × 16×16 cell (x 5, y 3) second anchor: centre (5.5/16, 3.5/16).
    const anchor = (3 * 16 + 5) * 2 + 1;
    fire(t, anchor, 3, [6.4, -12.8, 32, 25.6], [-3.2, 6.4]);
    const [face, ...rest] = decodeBlazeFace(t.scores, t.regressors, 'short');
    expect(rest).toHaveLength(0);
    expect(face!.score).toBeCloseTo(sigmoid(3), 6);
    const cx = 5.5 / 16 + 0.05;
    const cy = 3.5 / 16 - 0.1;
    [cx - 0.125, cy - 0.1, 0.25, 0.2].forEach((v, i) => expect(face!.box[i]).toBeCloseTo(v, 6));
    expect(face!.keypoints).toHaveLength(6);
    for (const [kx, ky] of face!.keypoints) {
      expect(kx).toBeCloseTo(5.5 / 16 - 0.025, 6);
      expect(ky).toBeCloseTo(3.5 / 16 + 0.05, 6);
    }
  });

  it('decodes the full-range model with its 192 px input', () => {
    const t = tensors('full');
    fire(t, 2303, 2, [19.2, 0, 38.4, 38.4]);
    const [face] = decodeBlazeFace(t.scores, t.regressors, 'full');
    // Centre shifted right by 0.1 and 0.2 wide: the left edge lands back on the anchor centre.
    [47.5 / 48, 47.5 / 48 - 0.1, 0.2, 0.2].forEach((v, i) => expect(face!.box[i]).toBeCloseTo(v, 6));
  });

  it('blends two overlapping anchors into one detection, weighted by score, keeping the best score', () => {
    const t = tensors('short');
    // The two anchors of one cell share a centre; their boxes differ a little.
    const a = (8 * 16 + 8) * 2;
    fire(t, a, 3, [0, 0, 32, 32], [1.28, 0]);
    fire(t, a + 1, 1, [3.2, 0, 38.4, 32], [2.56, 0]);
    const faces = decodeBlazeFace(t.scores, t.regressors, 'short');
    expect(faces).toHaveLength(1);
    const [wa, wb] = [sigmoid(3), sigmoid(1)];
    const mix = (p: number, q: number): number => (p * wa + q * wb) / (wa + wb);
    const centre = 8.5 / 16;
    const expected = [mix(centre - 0.125, centre + 0.025 - 0.15), centre - 0.125, mix(0.25, 0.3), 0.25];
    expected.forEach((v, i) => expect(faces[0]!.box[i]).toBeCloseTo(v, 6));
    expect(faces[0]!.score).toBeCloseTo(sigmoid(3), 6);
    expect(faces[0]!.keypoints[0]![0]).toBeCloseTo(mix(centre + 0.01, centre + 0.02), 6);
  });

  it('keeps separate faces apart, best first, and drops scores under minScore', () => {
    const t = tensors('short');
    fire(t, 0, 1, [16, 16, 24, 24]);
    fire(t, 895, 4, [-16, -16, 24, 24]);
    fire(t, 600, -1, [0, 0, 24, 24]);
    const faces = decodeBlazeFace(t.scores, t.regressors, 'short');
    expect(faces.map((f) => f.score)).toEqual([sigmoid(4), sigmoid(1)].map((s) => expect.closeTo(s, 6)));
    expect(decodeBlazeFace(t.scores, t.regressors, 'short', { minScore: 0.9 })).toHaveLength(1);
    expect(decodeBlazeFace(t.scores, t.regressors, 'short', { minScore: 0.2 })).toHaveLength(3);
  });

  it('clips extreme logits instead of producing NaN', () => {
    const t = tensors('short');
    fire(t, 10, 1e30, [0, 0, 24, 24]);
    t.scores[20] = -1e30;
    const faces = decodeBlazeFace(t.scores, t.regressors, 'short');
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBe(1);
  });

  it('rejects tensors of the wrong size', () => {
    const t = tensors('short');
    expect(() => decodeBlazeFace(t.scores, t.regressors, 'full')).toThrow(RangeError);
  });
});
