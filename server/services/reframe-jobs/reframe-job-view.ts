// Maps a one-shot job and its video's steps to the API's job view: the overall status, the stage it
// is in (from the steps that are live), a progress figure weighted by how long each stage usually
// takes, and the download URLs once it completed. Also the body of the job's webhook.
import type { ReframeJobView } from '../../contracts/reframe';
import type { ReframeJobRow } from '../../repositories/reframe-jobs.repository';
import type { VideoWithSteps } from '../../repositories/videos.repository';

type StepRow = VideoWithSteps['steps'][number];

/** Pipeline stages in order, with a rough share of the work (render and face work dominate). */
const STAGES: { kind: (k: string) => boolean; name: string; weight: number }[] = [
  { kind: (k) => k === 'ingest', name: 'ingesting', weight: 1 },
  { kind: (k) => k === 'analyze:scene_detection', name: 'detecting_scenes', weight: 1 },
  { kind: (k) => k === 'analyze:face_tracking_yolov8', name: 'tracking_faces', weight: 2 },
  { kind: (k) => k === 'analyze:active_speaker', name: 'detecting_speakers', weight: 2 },
  { kind: (k) => k === 'analyze:diarization', name: 'diarizing', weight: 1 },
  { kind: (k) => k === 'analyze:transcription', name: 'transcribing', weight: 2 },
  { kind: (k) => k.startsWith('transform:'), name: 'rendering', weight: 3 },
];

export function toReframeJobView(job: ReframeJobRow, steps: StepRow[]): ReframeJobView {
  const latest = STAGES.map((stage) => ({ stage, step: [...steps].reverse().find((s) => stage.kind(s.kind)) }));
  const status = job.status === 'queued' ? 'processing' : (job.status as ReframeJobView['status']);
  const transform = latest.at(-1)!.step;
  const warnings: string[] = transform?.warnings ? (JSON.parse(transform.warnings) as string[]) : [];
  const base = {
    job_id: job.id,
    status,
    video_id: job.videoId,
    created_at: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finished_at: job.finishedAt.toISOString() } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
  if (status === 'completed') {
    return {
      ...base,
      step: 'completed',
      progress: 1,
      download_url: `/api/v2/download/${job.videoId}?suffix=_reframe`,
      path_url: `/api/v2/download/${job.videoId}?suffix=_reframe_path`,
      credits_charged: job.creditsCharged ?? 0,
    };
  }
  if (status === 'failed') {
    return { ...base, step: 'failed', progress: 0, error: { code: job.errorCode ?? 'internal_error', message: job.errorMessage ?? '' } };
  }
  // Stages that will run: those with a step, plus ingest and rendering which every job has.
  const planned = latest.filter((l) => l.step || l.stage.name === 'ingesting' || l.stage.name === 'rendering');
  const done = (l: (typeof planned)[number]) => (l.step?.status === 'completed' ? 1 : (l.step?.progress ?? 0));
  const total = planned.reduce((s, l) => s + l.stage.weight, 0);
  const progress = planned.reduce((s, l) => s + l.stage.weight * done(l), 0) / total;
  const current =
    planned.find((l) => l.step?.status === 'running') ?? planned.find((l) => l.step?.status !== 'completed') ?? planned.at(-1)!;
  return { ...base, step: current.stage.name, progress: Math.min(0.99, Math.round(progress * 1000) / 1000) };
}
