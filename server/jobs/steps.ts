// The step kinds this build provides, with their parameter schemas, and the rule for what must run
// first. The API refuses (422 unknown_model_type) any analyze/transform kind not listed here; the
// worker registers one handler per listed kind (workers/node/handlers/).
import { z } from 'zod';
import { env } from '../env';
import type { StepKind } from '../contracts/steps';

export const IngestPayload = z.object({
  /** The URL to download; absent when the file was uploaded and is already in storage. */
  url: z.string().optional(),
  /** Storage key of the uploaded source. */
  sourceKey: z.string().optional(),
});
export type IngestPayload = z.infer<typeof IngestPayload>;

export const SceneDetectionParams = z.object({
  /** A frame is a cut when its change is this many times that of its neighbours. */
  threshold: z.number().min(1.5).max(20).default(3),
  /** Seconds: cuts closer together than this are merged. */
  min_scene_len: z.number().min(0).max(60).default(0.6),
});
export type SceneDetectionParams = z.infer<typeof SceneDetectionParams>;

export const FACE_DETECTORS = ['full_range', 'short_range', 'yolov8'] as const;
export const FaceTrackingParams = z
  .object({
    /** Frames analysed per second of video. */
    sample_fps: z.number().min(1).max(30).default(10),
    /** Faces smaller than this (pixels of the source, on the box's shorter side) are ignored. */
    min_face_size: z.number().min(0).max(4096).default(0),
    /** BlazeFace full range (small faces in wide shots), short range (close-ups), or the deployment's YOLOv8-face. */
    detector: z.enum(FACE_DETECTORS).default(() => (env.FACE_MODEL ? 'yolov8' : 'full_range')),
  })
  .refine((p) => p.detector !== 'yolov8' || env.FACE_MODEL, {
    message: 'The yolov8 detector needs a model: start the service with FACE_MODEL=yolov8:/path/to/model.onnx.',
    path: ['detector'],
  });
export type FaceTrackingParams = z.infer<typeof FaceTrackingParams>;

export const TranscriptionParams = z.object({
  /** Spoken language; the offline engine has a US English model. */
  language: z.enum(['en']).default('en'),
});

export const DiarizationParams = z
  .object({
    /** The number of speakers when known; otherwise it is estimated (from speaking faces when an active_speaker result exists). */
    num_speakers: z.number().int().min(1).max(20).optional(),
    min_speakers: z.number().int().min(1).max(20).default(1),
    max_speakers: z.number().int().min(1).max(20).default(6),
  })
  .refine((p) => p.min_speakers <= p.max_speakers, { message: 'min_speakers must not exceed max_speakers.', path: ['min_speakers'] });

export const ActiveSpeakerParams = z.object({
  /** The face tracking result whose faces are scored (the only one this build has). */
  face_tracking_model: z.literal('face_tracking_yolov8').default('face_tracking_yolov8'),
  /** Frames analysed per second: mouths move too fast to follow below 12.5. Above a file's real frame
   *  rate every frame is analysed; the probed rate of a variable-rate file is only an average. */
  sample_fps: z.number().min(12.5).max(60).default(25),
});

export const STEP_PAYLOADS = {
  ingest: IngestPayload,
  'analyze:scene_detection': SceneDetectionParams,
  'analyze:face_tracking_yolov8': FaceTrackingParams,
  'analyze:transcription': TranscriptionParams,
  'analyze:diarization': DiarizationParams,
  'analyze:active_speaker': ActiveSpeakerParams,
} as const satisfies Partial<Record<StepKind, z.ZodType>>;

export type ProvidedStepKind = keyof typeof STEP_PAYLOADS;

export function isProvidedStep(kind: string): kind is ProvidedStepKind {
  return Object.hasOwn(STEP_PAYLOADS, kind);
}

/** Steps that must have completed before `kind` may start (ingest precedes everything). */
export function prerequisitesOf(kind: StepKind): StepKind[] {
  if (kind === 'ingest') return [];
  if (kind === 'analyze:active_speaker') return ['ingest', 'analyze:face_tracking_yolov8'];
  return ['ingest'];
}
