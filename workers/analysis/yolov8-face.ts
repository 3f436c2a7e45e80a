// YOLOv8-face ONNX output decoding: channels-first candidates (box, score, optional 5 keypoints),
// score filter and standard non-max suppression. Fed the output tensor [1, 5 or 20, N] and the square
// input size; returns detections normalized to the model input, like BlazeFace's (see letterbox.ts).
import { iou, type Box, type Point } from './letterbox';

export type YoloFaceDetection = {
  /** Normalized to the model input: x, y of the top-left corner, width, height. */
  box: Box;
  score: number;
  /** Eyes, nose tip, mouth corners (in the export's order), normalized; empty for box-only exports. */
  keypoints: Point[];
  /** Visibility of each keypoint, 0..1. */
  keypointScores: number[];
};

export type YoloFaceOptions = {
  /** Candidates below this score are dropped. Default 0.3: as low as FaceTracker's lowThreshold, so
   *  its second association stage gets the weak detections of blurred or turning faces. */
  minScore?: number;
  /** A box overlapping a better kept box by more than this IoU is suppressed. Default 0.45. */
  nmsIou?: number;
  /** Most exports apply the sigmoid inside the graph; set this for those that leave logits
   *  (it then applies to keypoint visibilities too). Default false. */
  scoresAreLogits?: boolean;
};

const BOX_AND_SCORE = 5;
const KEYPOINTS = 5;
const WITH_KEYPOINTS = BOX_AND_SCORE + KEYPOINTS * 3;

/** Decodes one run; the result is sorted by score. Box and keypoint values are input pixels. */
export function decodeYoloV8Face(
  output: Float32Array,
  dims: readonly number[],
  inputSize: number,
  options: YoloFaceOptions = {},
): YoloFaceDetection[] {
  const { minScore = 0.3, nmsIou = 0.45, scoresAreLogits = false } = options;
  const [batch, channels, count] = dims;
  if (dims.length !== 3 || batch !== 1 || (channels !== BOX_AND_SCORE && channels !== WITH_KEYPOINTS) || count === undefined) {
    throw new RangeError(`decodeYoloV8Face: expected dims [1, ${BOX_AND_SCORE} or ${WITH_KEYPOINTS}, N], got [${dims.join(', ')}]`);
  }
  if (output.length !== channels * count) {
    throw new RangeError(`decodeYoloV8Face: ${output.length} values for dims [${dims.join(', ')}]`);
  }
  const at = (channel: number, i: number): number => output[channel * count + i]!;
  const toProbability = scoresAreLogits ? (x: number) => 1 / (1 + Math.exp(-x)) : (x: number) => x;
  const candidates: YoloFaceDetection[] = [];
  for (let i = 0; i < count; i++) {
    const score = toProbability(at(4, i));
    if (score < minScore) continue;
    const w = at(2, i);
    const h = at(3, i);
    const box: Box = [(at(0, i) - w / 2) / inputSize, (at(1, i) - h / 2) / inputSize, w / inputSize, h / inputSize];
    const keypoints: Point[] = [];
    const keypointScores: number[] = [];
    if (channels === WITH_KEYPOINTS) {
      for (let k = 0; k < KEYPOINTS; k++) {
        const c = BOX_AND_SCORE + k * 3;
        keypoints.push([at(c, i) / inputSize, at(c + 1, i) / inputSize]);
        keypointScores.push(toProbability(at(c + 2, i)));
      }
    }
    candidates.push({ box, score, keypoints, keypointScores });
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: YoloFaceDetection[] = [];
  for (const c of candidates) if (kept.every((k) => iou(k.box, c.box) <= nmsIou)) kept.push(c);
  return kept;
}
