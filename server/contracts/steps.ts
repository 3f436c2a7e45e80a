// Names of the analysis models, transforms and step kinds, shared by the API, the queue and the worker.
// A step kind is `ingest`, `analyze:<model_type>`, `transform:<transform_type>` or `webhook` (a one-shot
// job's callback delivery).
import { z } from 'zod';

export const MODEL_TYPES = ['scene_detection', 'face_tracking_yolov8', 'active_speaker', 'transcription', 'diarization'] as const;
export const TRANSFORM_TYPES = ['reframe', 'reframe_llm'] as const;

export const ModelType = z.enum(MODEL_TYPES);
export type ModelType = z.infer<typeof ModelType>;
export const TransformType = z.enum(TRANSFORM_TYPES);
export type TransformType = z.infer<typeof TransformType>;

export const StepStatus = z.enum(['queued', 'running', 'completed', 'failed']);
export type StepStatus = z.infer<typeof StepStatus>;

export type StepKind = 'ingest' | 'webhook' | `analyze:${string}` | `transform:${string}`;

export const analyzeKind = (model: string): StepKind => `analyze:${model}`;
export const transformKind = (transform: string): StepKind => `transform:${transform}`;
