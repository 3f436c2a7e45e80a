// The REST API's request and response shapes. One zod schema each drives validation, the
// TypeScript types, the OpenAPI document (server/http/openapi.ts) and the docs page.
import { z } from 'zod';
import { StepStatus } from './steps';

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), request_id: z.string().optional() }),
});

export const IngestUrlRequest = z.object({
  url: z.string().min(1).max(4096).describe('http(s) URL of the video; Google Drive share links are accepted.'),
});
export type IngestUrlRequest = z.infer<typeof IngestUrlRequest>;

export const IngestResponse = z.object({ video_id: z.string() });

const Parameters = z.record(z.string(), z.unknown()).default({});

export const AnalyzeRequest = z.object({
  video_id: z.string().min(1).max(100),
  model_type: z.string().min(1).max(100).describe('scene_detection, face_tracking_yolov8, active_speaker, transcription or diarization'),
  parameters: Parameters.optional(),
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

export const TransformRequest = z.object({
  video_id: z.string().min(1).max(100),
  transform_type: z.string().min(1).max(100).describe('reframe or reframe_llm'),
  parameters: Parameters.optional(),
});
export type TransformRequest = z.infer<typeof TransformRequest>;

export const StepError = z.object({ code: z.string(), message: z.string() });

export const StepView = z.object({
  step: z.string().describe('ingest, analyze:<model_type> or transform:<transform_type>'),
  status: StepStatus,
  progress: z.number().min(0).max(1),
  error: StepError.optional(),
  result_url: z.string().optional(),
  warnings: z.array(z.string()).optional().describe('notes about a completed step, e.g. reframe_llm fell back to the heuristic plan'),
  attempts: z.number().int(),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
});
export type StepView = z.infer<typeof StepView>;

export const StepAccepted = z.object({ video_id: z.string(), step: z.string(), status: StepStatus });

export const StatusResponse = z.object({
  video_id: z.string(),
  step: z.string(),
  status: StepStatus,
  progress: z.number(),
  error: StepError.optional(),
  result_url: z.string().optional(),
  steps: z.array(StepView),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export const VideoView = z.object({
  video_id: z.string(),
  source: z.object({ type: z.enum(['url', 'upload']), url: z.string().optional(), name: z.string().optional() }),
  status: StepStatus.describe('status of the ingest step'),
  duration: z.number().nullable(),
  fps: z.number().nullable(),
  frames: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  size_bytes: z.number().int().nullable(),
  video_codec: z.string().nullable(),
  audio_codec: z.string().nullable(),
  format: z.string().nullable(),
  credits_required: z.number().int().nullable().describe('floor(duration): the credits its first download costs'),
  created_at: z.string(),
  steps: z.array(StepView),
});
export type VideoView = z.infer<typeof VideoView>;

export const VideoList = z.object({ videos: z.array(VideoView), next_cursor: z.string().nullable() });

export const ListVideosQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
});

export const LedgerEntryView = z.object({
  id: z.string(),
  amount: z.number().int(),
  reason: z.string(),
  video_id: z.string().nullable(),
  seconds: z.number().int().nullable(),
  created_at: z.string(),
});
export type LedgerEntryView = z.infer<typeof LedgerEntryView>;

export const AccountResponse = z.object({ email: z.string(), balance: z.number().int(), ledger: z.array(LedgerEntryView) });

export const DownloadQuery = z.object({
  suffix: z.string().max(64).default('_reframe').describe('_reframe (MP4) or _reframe_path (JSON crop path)'),
});

export const InsufficientCredits = ErrorBody.extend({
  credits_required: z.number().int(),
  credits_remaining: z.number().int(),
});

export const RetryLater = ErrorBody.extend({
  retry_after: z.number().int().describe('Seconds to wait before trying again (also the Retry-After header)'),
});

export const WebhookSecretResponse = z.object({
  webhook_secret: z.string().describe('whsec_…: verify X-Signature on callbacks with it'),
});
