// The step kinds this build provides, with their parameter schemas, and the rule for what must run
// first. The API refuses (422 unknown_model_type) any analyze/transform kind not listed here; the
// worker registers one handler per listed kind (workers/node/handlers/).
import { z } from 'zod';
import { env } from '../env';
import type { StepKind } from '../contracts/steps';
import { ReframePathSchema } from '../contracts/reframe';
import { FACE_DEFAULTS, SCENE_DEFAULTS, SPEAKER_DEFAULTS } from '../../workers/analysis/analysis-settings';
import { parseAspectRatio } from '../../workers/analysis/reframe-path';

export const IngestPayload = z.object({
  /** The URL to download; absent when the file was uploaded and is already in storage. */
  url: z.string().optional(),
  /** Storage key of the uploaded source. */
  sourceKey: z.string().optional(),
});
export type IngestPayload = z.infer<typeof IngestPayload>;

export const SceneDetectionParams = z.object({
  /** A frame is a cut when its change is this many times that of its neighbours. */
  threshold: z.number().min(1.5).max(20).default(SCENE_DEFAULTS.threshold),
  /** Seconds: cuts closer together than this are merged. */
  min_scene_len: z.number().min(0).max(60).default(SCENE_DEFAULTS.min_scene_len),
});
export type SceneDetectionParams = z.infer<typeof SceneDetectionParams>;

export const FACE_DETECTORS = ['full_range', 'short_range', 'yolov8'] as const;
export const FaceTrackingParams = z
  .object({
    /** Frames analysed per second of video. */
    sample_fps: z.number().min(1).max(30).default(FACE_DEFAULTS.sample_fps),
    /** Faces smaller than this (pixels of the source, on the box's shorter side) are ignored. */
    min_face_size: z.number().min(0).max(4096).default(FACE_DEFAULTS.min_face_size),
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
  sample_fps: z.number().min(12.5).max(60).default(SPEAKER_DEFAULTS.sample_fps),
});

export const ReframeParams = z
  .object({
    face_tracking_model: z.literal('face_tracking_yolov8').default('face_tracking_yolov8'),
    /** `9:16`, `1:1`, `4:5`, `16:9` or any `W:H`. */
    aspect_ratio: z
      .string()
      .max(20)
      .default('9:16')
      .refine((v) => parseAspectRatio(v) !== null, { message: 'aspect_ratio must look like 9:16 (two positive numbers, W:H).' }),
    /** `single` follows one subject; `split` stacks two speakers; `auto` chooses per scene. */
    layout: z.enum(['single', 'split', 'auto']).default('single'),
    /** Seconds of the source to render (default: all of it). */
    start_time: z.number().min(0).optional(),
    end_time: z.number().positive().optional(),
    /** Output height in pixels; never more than the crop has in the source unless allow_upscale. */
    output_height: z.number().int().min(144).max(4320).default(1920),
    allow_upscale: z.boolean().default(false),
    /** libx264 quality and preset (defaults: RENDER_CRF, RENDER_PRESET). */
    crf: z.number().int().min(0).max(51).optional(),
    preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow']).optional(),
    /** Use the diarization result (run it first when auto_analyze) to reinforce who speaks when. */
    diarization: z.boolean().default(false),
    /** Run the analyses the reframe needs when they are missing (else 409 missing_dependency). */
    auto_analyze: z.boolean().default(true),
    /** An edited crop path (as downloaded with suffix=_reframe_path): rendered as given, no analysis needed. */
    path: ReframePathSchema.optional(),
  })
  .refine((p) => p.start_time === undefined || p.end_time === undefined || p.end_time > p.start_time, {
    message: 'end_time must be after start_time.',
    path: ['end_time'],
  });
export type ReframeParams = z.infer<typeof ReframeParams>;

/** A one-shot job's callback: the event to POST (the job's state is read when it is sent). */
export const WebhookPayload = z.object({ job_id: z.string(), event: z.enum(['job.completed', 'job.failed']) });

export const STEP_PAYLOADS = {
  ingest: IngestPayload,
  'analyze:scene_detection': SceneDetectionParams,
  'analyze:face_tracking_yolov8': FaceTrackingParams,
  'analyze:transcription': TranscriptionParams,
  'analyze:diarization': DiarizationParams,
  'analyze:active_speaker': ActiveSpeakerParams,
  'transform:reframe': ReframeParams,
  'transform:reframe_llm': ReframeParams,
  webhook: WebhookPayload,
} as const satisfies Partial<Record<StepKind, z.ZodType>>;

export type ProvidedStepKind = keyof typeof STEP_PAYLOADS;

export function isProvidedStep(kind: string): kind is ProvidedStepKind {
  return Object.hasOwn(STEP_PAYLOADS, kind);
}

/**
 * What a step builds on. `required`: it must have completed (a failed or, without auto-start, missing
 * one fails the step with missing_dependency). Optional ones are used when they exist; a live one is
 * waited for so its result is used. `autoRun`: a transform with auto_analyze starts it when missing.
 * This is the one place that says what runs before what.
 */
export interface Dependency {
  kind: ProvidedStepKind;
  required: boolean;
  autoRun: boolean;
  /** Needed only when the face tracking shows two faces on screen at once (who speaks only matters
   *  when there is a choice); decided once face tracking has completed. */
  onlyWithSeveralFaces?: boolean;
  /** Parameters a started dependency runs with (its defaults otherwise). */
  autoParams?: Record<string, unknown>;
}

/** Who speaks, at the rate a reframe needs (see SPEAKER_DEFAULTS). */
export const REFRAME_SPEAKER_PARAMS = { sample_fps: SPEAKER_DEFAULTS.reframe_sample_fps };

export function dependenciesOf(kind: string, params: Record<string, unknown> = {}): Dependency[] {
  const need = (k: ProvidedStepKind, required = true, autoRun = required): Dependency => ({ kind: k, required, autoRun });
  if (kind === 'ingest' || kind === 'webhook') return [];
  const ingest = need('ingest', true, false);
  switch (kind) {
    case 'analyze:face_tracking_yolov8':
      return [ingest, need('analyze:scene_detection', false, false)];
    case 'analyze:active_speaker':
      return [ingest, need('analyze:face_tracking_yolov8')];
    case 'analyze:diarization':
      return [ingest, need('analyze:active_speaker', false, false)];
    case 'transform:reframe':
    case 'transform:reframe_llm':
      if (params.path) return [ingest];
      return [
        ingest,
        need('analyze:scene_detection', false, true),
        need('analyze:face_tracking_yolov8'),
        { ...need('analyze:active_speaker'), onlyWithSeveralFaces: true, autoParams: REFRAME_SPEAKER_PARAMS },
        ...(params.diarization ? [need('analyze:diarization')] : []),
        ...(kind === 'transform:reframe_llm' ? [need('analyze:transcription', false, true)] : []),
      ];
    default:
      return isProvidedStep(kind) ? [ingest] : [];
  }
}
