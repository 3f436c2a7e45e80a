// From a face detector's raw outputs to detections in source pixels, for the server's onnxruntime-node
// detector and the browser preview's onnxruntime-web one alike: picks BlazeFace's two output tensors,
// decodes them, and maps boxes and keypoints from the letterboxed model input back through the decoded
// frame's size to the source's. Fed output tensors and sizes; returns FaceTrackerDetections.
import { FACE_DEFAULTS } from './analysis-settings';
import { decodeBlazeFace, type BlazeFaceVariant } from './blazeface';
import type { FaceTrackerDetection } from './face-tracker';
import { letterbox, toSourceBox, toSourcePoint, type Box, type Point } from './letterbox';

/** An output tensor as both runtimes give it. */
export type OutputTensor = { dims: readonly number[]; data: unknown };

/** Maps model-input boxes and points (normalised, as decoders give them) to source pixels, for a frame
 *  of frameWidth×frameHeight letterboxed into a size×size input and a source of sourceWidth×sourceHeight. */
export function sourceMapper(frameWidth: number, frameHeight: number, size: number, sourceWidth: number, sourceHeight: number) {
  const fit = letterbox(frameWidth, frameHeight, size);
  const sx = sourceWidth / frameWidth;
  const sy = sourceHeight / frameHeight;
  return {
    box: (b: Box): Box => {
      const [x, y, w, h] = toSourceBox(b, fit);
      return [x * sx, y * sy, w * sx, h * sy];
    },
    point: (p: Point): Point => {
      const [x, y] = toSourcePoint(p, fit);
      return [x * sx, y * sy];
    },
  };
}

/** BlazeFace's detections (scores from FACE_DEFAULTS.min_score) in source pixels. The regressors are
 *  the output with 16 values per anchor, the scores the one with 1, whatever the export named them. */
export function blazeFaceDetections(
  outputs: readonly OutputTensor[],
  variant: BlazeFaceVariant,
  inputSize: number,
  frame: { width: number; height: number },
  source: { width: number; height: number },
): FaceTrackerDetection[] {
  const regressors = outputs.find((t) => t.dims.at(-1) === 16);
  const scores = outputs.find((t) => t.dims.at(-1) === 1);
  if (!regressors || !scores) throw new Error('unexpected BlazeFace outputs');
  const map = sourceMapper(frame.width, frame.height, inputSize, source.width, source.height);
  return decodeBlazeFace(scores.data as Float32Array, regressors.data as Float32Array, variant, { minScore: FACE_DEFAULTS.min_score }).map(
    (d) => ({ box: map.box(d.box), score: d.score, landmarks: d.keypoints.map(map.point) }),
  );
}
