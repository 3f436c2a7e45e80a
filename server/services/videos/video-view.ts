// Maps video and step rows to the API's shapes (snake_case, ISO dates, result URLs).
import type { StepView, VideoView } from '../../contracts/api';
import type { StepStatus } from '../../contracts/steps';
import type { VideoWithSteps } from '../../repositories/videos.repository';
import { creditsForDuration } from '../credits/charge-video';

type StepRow = VideoWithSteps['steps'][number];

export function resultUrlOf(step: StepRow): string | undefined {
  if (step.status !== 'completed') return undefined;
  if (step.kind.startsWith('analyze:')) return `/api/v2/videos/${step.videoId}/results/${step.kind.slice('analyze:'.length)}`;
  // reframe and reframe_llm both write the one reframed output.
  if (step.kind.startsWith('transform:')) return `/api/v2/download/${step.videoId}?suffix=_reframe`;
  if (step.kind === 'webhook') return undefined;
  return `/api/v2/videos/${step.videoId}`;
}

export function toStepView(step: StepRow): StepView {
  return {
    step: step.kind,
    status: step.status as StepStatus,
    progress: step.status === 'completed' ? 1 : step.progress,
    ...(step.errorCode ? { error: { code: step.errorCode, message: step.errorMessage ?? '' } } : {}),
    ...(resultUrlOf(step) ? { result_url: resultUrlOf(step) } : {}),
    ...(step.warnings ? { warnings: JSON.parse(step.warnings) as string[] } : {}),
    attempts: step.attempts,
    created_at: step.createdAt.toISOString(),
    ...(step.startedAt ? { started_at: step.startedAt.toISOString() } : {}),
    ...(step.finishedAt ? { finished_at: step.finishedAt.toISOString() } : {}),
  };
}

export function toVideoView(v: VideoWithSteps): VideoView {
  const ingest = [...v.steps].reverse().find((s) => s.kind === 'ingest');
  return {
    video_id: v.id,
    source: {
      type: v.sourceType as 'url' | 'upload',
      ...(v.sourceUrl ? { url: v.sourceUrl } : {}),
      ...(v.sourceName ? { name: v.sourceName } : {}),
    },
    status: (ingest?.status ?? 'queued') as StepStatus,
    duration: v.duration,
    fps: v.fps,
    frames: v.frames,
    width: v.width,
    height: v.height,
    size_bytes: v.sizeBytes === null ? null : Number(v.sizeBytes),
    video_codec: v.videoCodec,
    audio_codec: v.audioCodec,
    format: v.formatName,
    credits_required: v.duration === null ? null : creditsForDuration(v.duration),
    created_at: v.createdAt.toISOString(),
    steps: v.steps.map(toStepView),
  };
}
