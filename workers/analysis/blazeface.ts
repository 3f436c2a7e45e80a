// BlazeFace (MediaPipe face detection) output decoding: SSD anchors, box/keypoint regression, scores,
// and MediaPipe's weighted non-max suppression. Fed the model's two output tensors (regressors and
// score logits); returns face detections normalized to the square model input (see letterbox.ts).
import { iou, type Box, type Point } from './letterbox';

export type BlazeFaceVariant = 'short' | 'full';

type AnchorLayer = { stride: number; anchorsPerCell: number };

/** Input side and anchor layers. MediaPipe's short-range config lists strides 8, 16, 16, 16 with two
 *  anchors each; layers of equal stride share one grid, hence 2 anchors at stride 8 and 6 at 16. */
export const BLAZEFACE_VARIANTS: Record<BlazeFaceVariant, { inputSize: number; layers: readonly AnchorLayer[] }> = {
  short: {
    inputSize: 128,
    layers: [
      { stride: 8, anchorsPerCell: 2 },
      { stride: 16, anchorsPerCell: 6 },
    ],
  },
  full: { inputSize: 192, layers: [{ stride: 4, anchorsPerCell: 1 }] },
};

/** Box, then 6 keypoints × (x, y). */
const REGRESSOR_STRIDE = 16;
const KEYPOINTS = 6;
// MediaPipe's score_clipping_thresh: keeps exp() finite whatever the logit.
const LOGIT_CLIP = 100;

export type BlazeFaceDetection = {
  /** Normalized to the model input: x, y of the top-left corner, width, height. */
  box: Box;
  /** sigmoid(logit); after suppression, the best score of the blended cluster. */
  score: number;
  /** Right eye, left eye, nose tip, mouth, right ear, left ear (the model card's order). */
  keypoints: Point[];
};

export type BlazeFaceOptions = {
  /** Detections below this score are dropped before suppression. Default 0.5. */
  minScore?: number;
  /** Boxes overlapping the cluster's best box by more than this IoU are blended into it. Default 0.3. */
  nmsIou?: number;
};

const anchorCache = new Map<BlazeFaceVariant, readonly Point[]>();

/** Anchor centres, normalized, in the model's output order: layer by layer, row by row, cell by cell.
 *  Anchor sizes are all 1 (MediaPipe's fixed_anchor_size), so only centres are needed. */
export function blazeFaceAnchors(variant: BlazeFaceVariant): readonly Point[] {
  const cached = anchorCache.get(variant);
  if (cached) return cached;
  const { inputSize, layers } = BLAZEFACE_VARIANTS[variant];
  const anchors: Point[] = [];
  for (const { stride, anchorsPerCell } of layers) {
    const cells = Math.ceil(inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < anchorsPerCell; a++) anchors.push([(x + 0.5) / cells, (y + 0.5) / cells]);
      }
    }
  }
  anchorCache.set(variant, anchors);
  return anchors;
}

/**
 * Decodes `regressors` ([1, N, 16] flattened) and `scores` ([1, N, 1] logits) of one BlazeFace run.
 * Regressed values are input pixels relative to the anchor centre; the result is sorted by score.
 */
export function decodeBlazeFace(
  scores: Float32Array,
  regressors: Float32Array,
  variant: BlazeFaceVariant,
  options: BlazeFaceOptions = {},
): BlazeFaceDetection[] {
  const { minScore = 0.5, nmsIou = 0.3 } = options;
  const anchors = blazeFaceAnchors(variant);
  const inputSize = BLAZEFACE_VARIANTS[variant].inputSize;
  if (scores.length !== anchors.length || regressors.length !== anchors.length * REGRESSOR_STRIDE) {
    throw new RangeError(
      `decodeBlazeFace(${variant}): expected ${anchors.length} scores and ${anchors.length * REGRESSOR_STRIDE} regressors, got ${scores.length} and ${regressors.length}`,
    );
  }
  const candidates: BlazeFaceDetection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, scores[i]!));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < minScore) continue;
    const [ax, ay] = anchors[i]!;
    const r = i * REGRESSOR_STRIDE;
    const cx = ax + regressors[r]! / inputSize;
    const cy = ay + regressors[r + 1]! / inputSize;
    const w = regressors[r + 2]! / inputSize;
    const h = regressors[r + 3]! / inputSize;
    const keypoints: Point[] = [];
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints.push([ax + regressors[r + 4 + 2 * k]! / inputSize, ay + regressors[r + 5 + 2 * k]! / inputSize]);
    }
    candidates.push({ box: [cx - w / 2, cy - h / 2, w, h], score, keypoints });
  }
  return weightedNms(candidates, nmsIou);
}

/**
 * MediaPipe's WEIGHTED suppression: BlazeFace fires on many neighbouring anchors per face, and
 * averaging them (weighted by score) gives a steadier box than keeping only the best one.
 */
function weightedNms(detections: readonly BlazeFaceDetection[], threshold: number): BlazeFaceDetection[] {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const kept: BlazeFaceDetection[] = [];
  while (remaining.length > 0) {
    const best = remaining[0]!;
    const cluster: BlazeFaceDetection[] = [];
    const rest: BlazeFaceDetection[] = [];
    for (const d of remaining) (d === best || iou(best.box, d.box) > threshold ? cluster : rest).push(d);
    kept.push(cluster.length === 1 ? best : blend(cluster, best.score));
    remaining = rest;
  }
  return kept;
}

function blend(cluster: readonly BlazeFaceDetection[], score: number): BlazeFaceDetection {
  const total = cluster.reduce((sum, d) => sum + d.score, 0);
  const box: Box = [0, 0, 0, 0];
  const keypoints: Point[] = cluster[0]!.keypoints.map((): Point => [0, 0]);
  for (const d of cluster) {
    const w = d.score / total;
    box[0] += d.box[0] * w;
    box[1] += d.box[1] * w;
    box[2] += d.box[2] * w;
    box[3] += d.box[3] * w;
    d.keypoints.forEach((p, k) => {
      const acc = keypoints[k]!;
      acc[0] += p[0] * w;
      acc[1] += p[1] * w;
    });
  }
  return { box, score, keypoints };
}
