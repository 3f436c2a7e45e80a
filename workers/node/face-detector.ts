// Face detection on the server: an onnxruntime-node session (BlazeFace built in, or a deployment's
// YOLOv8-face) wrapped so that a decoded frame goes in and detections in source pixels come out.
// Tensor filling and output decoding are the shared pure code in workers/analysis/.
import ort from 'onnxruntime-node';
import { FACE_DEFAULTS } from '../analysis/analysis-settings';
import { BLAZEFACE_VARIANTS, type BlazeFaceVariant } from '../analysis/blazeface';
import { blazeFaceDetections, sourceMapper } from '../analysis/face-detections';
import type { FaceTrackerDetection } from '../analysis/face-tracker';
import { fillInputTensor } from '../analysis/letterbox';
import { decodeYoloV8Face } from '../analysis/yolov8-face';
import { loadModel } from './onnx-models';
import type { RgbFrame } from './frame-source';

export type FaceDetectorKind = 'full_range' | 'short_range' | 'yolov8';

export interface FaceDetector {
  /** The square model input; frames should arrive with their longer side near it. */
  readonly inputSize: number;
  /** Faces in `frame`, mapped to a source of sourceWidth×sourceHeight pixels. */
  detect(frame: RgbFrame, sourceWidth: number, sourceHeight: number): Promise<FaceTrackerDetection[]>;
}

/** Weak detections are kept for the tracker's second association stage (see FaceTracker). */
const MIN_SCORE = FACE_DEFAULTS.min_score;

const yoloSessions = new Map<string, Promise<ort.InferenceSession>>();

export async function createFaceDetector(kind: FaceDetectorKind, faceModelSetting = ''): Promise<FaceDetector> {
  if (kind === 'yolov8') {
    const file = faceModelSetting.replace(/^yolov8:/, '');
    if (!file) throw new Error('FACE_MODEL=yolov8:/path/to/model.onnx is not set');
    if (!yoloSessions.has(file))
      yoloSessions.set(file, ort.InferenceSession.create(file, { intraOpNumThreads: 1, executionMode: 'sequential' }));
    return yoloDetector(await yoloSessions.get(file)!);
  }
  const variant: BlazeFaceVariant = kind === 'short_range' ? 'short' : 'full';
  return blazeFaceDetector(await loadModel(variant === 'short' ? 'face_detection_short_range' : 'face_detection_full_range'), variant);
}

function blazeFaceDetector(session: ort.InferenceSession, variant: BlazeFaceVariant): FaceDetector {
  const size = BLAZEFACE_VARIANTS[variant].inputSize;
  const input = new Float32Array(size * size * 3);
  const [inputName] = session.inputNames;
  return {
    inputSize: size,
    async detect(frame, sourceWidth, sourceHeight) {
      fillInputTensor(frame.data, frame.width, frame.height, size, 'nhwc', [-1, 1], input);
      const out = await session.run({ [inputName!]: new ort.Tensor('float32', input, [1, size, size, 3]) });
      return blazeFaceDetections(Object.values(out), variant, size, frame, { width: sourceWidth, height: sourceHeight });
    },
  };
}

function yoloDetector(session: ort.InferenceSession): FaceDetector {
  const meta = session.inputMetadata[0];
  const shape = meta && 'shape' in meta ? meta.shape : [];
  const size = typeof shape[2] === 'number' && shape[2] > 0 ? shape[2] : 640;
  const input = new Float32Array(size * size * 3);
  const inputName = session.inputNames[0]!;
  return {
    inputSize: size,
    async detect(frame, sourceWidth, sourceHeight) {
      fillInputTensor(frame.data, frame.width, frame.height, size, 'nchw', [0, 1], input);
      const out = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, size, size]) });
      const output = out[session.outputNames[0]!]!;
      const map = sourceMapper(frame.width, frame.height, size, sourceWidth, sourceHeight);
      return decodeYoloV8Face(output.data as Float32Array, output.dims, size, { minScore: MIN_SCORE }).map((d) => ({
        box: map.box(d.box),
        score: d.score,
        ...(d.keypoints.length ? { landmarks: d.keypoints.map(map.point) } : {}),
      }));
    },
  };
}
