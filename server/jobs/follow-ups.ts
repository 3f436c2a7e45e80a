// What happens after a step ends, for one-shot reframe jobs: ingest done → check credits against the
// clip's now-known duration and start the job's transform (which starts the analyses it needs);
// transform done → charge once and complete the job; any failure → fail the job (never charged);
// a completed or failed job with a callback_url → a `webhook` step delivers the event.
// Called by the worker after it records a step's final outcome; every transition happens at most once.
import { env } from '../env';
import { creditsRepository } from '../repositories/credits.repository';
import { stepsRepository } from '../repositories/steps.repository';
import { reframeJobsRepository, type ReframeJobRow } from '../repositories/reframe-jobs.repository';
import { videosRepository } from '../repositories/videos.repository';
import { ReframeJobRequest as ReframeJobParams } from '../contracts/reframe';
import type { StepKind } from '../contracts/steps';
import { enqueueStep } from './enqueue-step';
import { ReframeParams } from './steps';

export async function afterStep(step: {
  videoId: string;
  kind: string;
  status: 'completed' | 'failed';
  errorCode?: string | null;
  errorMessage?: string | null;
}) {
  if (step.kind === 'webhook') return;
  const job = await reframeJobsRepository.findProcessingByVideo(step.videoId);
  if (!job) return;
  if (step.status === 'failed') {
    if (step.kind === 'ingest' || step.kind === jobTransformKind(job)) {
      await failJob(job, step.errorCode ?? 'internal_error', step.errorMessage ?? 'The job failed.');
    }
    return;
  }
  if (step.kind === 'ingest') await startJobTransform(job);
  else if (step.kind === jobTransformKind(job)) await completeJob(job);
}

/**
 * Carries on jobs whose follow-up was lost (the worker stopped between recording a step and running
 * its follow-up): run at worker start. Each transition is idempotent, so running it twice is harmless.
 */
export async function resumeJobs() {
  for (const job of await reframeJobsRepository.processing()) {
    if (!job.videoId) continue;
    const transformKind = jobTransformKind(job);
    const ingest = await stepsRepository.latestOfKind(job.videoId, 'ingest');
    const transform = await stepsRepository.latestOfKind(job.videoId, transformKind);
    const ended = transform ?? (ingest?.status === 'failed' || (ingest?.status === 'completed' && !transform) ? ingest : null);
    if (ended?.status === 'completed' || ended?.status === 'failed') {
      // Another worker starting at the same moment may get there first (its enqueue wins the race).
      await afterStep({ ...ended, status: ended.status }).catch(() => undefined);
    }
  }
}

export const jobTransformKind = (job: Pick<ReframeJobRow, 'params'>): StepKind =>
  ReframeJobParams.parse(JSON.parse(job.params)).llm ? 'transform:reframe_llm' : 'transform:reframe';

/** The span a job renders and pays for, once the source's duration is known. */
export function jobClip(job: Pick<ReframeJobRow, 'params'>, duration: number) {
  const p = ReframeJobParams.parse(JSON.parse(job.params));
  const start = p.start_time ?? 0;
  const end = Math.min(p.end_time ?? duration, duration);
  return { start, end, credits: Math.max(0, Math.floor(end - start)) };
}

async function startJobTransform(job: ReframeJobRow) {
  const video = job.videoId ? await videosRepository.findById(job.videoId) : null;
  if (!video?.duration) return failJob(job, 'invalid_media', 'The video has no duration.');
  const clip = jobClip(job, video.duration);
  if (clip.end <= clip.start) {
    return failJob(job, 'invalid_time_range', `start_time ${clip.start} s is beyond the video’s end (${video.duration.toFixed(2)} s).`);
  }
  const balance = await creditsRepository.balance(job.accountId);
  if (balance < clip.credits) {
    return failJob(job, 'insufficient_credits', `This clip needs ${clip.credits} credits; the account has ${balance}.`);
  }
  const p = ReframeJobParams.parse(JSON.parse(job.params));
  const params = ReframeParams.parse({
    aspect_ratio: p.aspect_ratio,
    layout: p.layout,
    start_time: p.start_time,
    end_time: p.end_time,
    output_height: p.output_height,
    diarization: p.diarization,
    auto_analyze: true,
  });
  await enqueueStep(video.id, jobTransformKind(job), params as Record<string, unknown>);
}

async function completeJob(job: ReframeJobRow) {
  const video = job.videoId ? await videosRepository.findById(job.videoId) : null;
  if (!video?.duration) return failJob(job, 'internal_error', 'The job’s video is gone.');
  const { credits } = jobClip(job, video.duration);
  const charge = await creditsRepository.charge({
    accountId: job.accountId,
    amount: credits,
    reason: 'reframe_job',
    // The same key a download of the video uses: the job's output downloads without a second charge.
    idempotencyKey: `video:${video.id}`,
    videoId: video.id,
    seconds: credits,
  });
  if (charge.kind === 'insufficient') {
    return failJob(job, 'insufficient_credits', `This clip needs ${credits} credits; the account has ${charge.balance}.`);
  }
  if (await reframeJobsRepository.finish(job.id, { status: 'completed', creditsCharged: credits })) await notify(job, 'job.completed');
}

async function failJob(job: ReframeJobRow, code: string, message: string) {
  if (await reframeJobsRepository.finish(job.id, { status: 'failed', errorCode: code, errorMessage: message }))
    await notify(job, 'job.failed');
}

async function notify(job: ReframeJobRow, event: 'job.completed' | 'job.failed') {
  if (!job.callbackUrl || !job.videoId) return;
  await enqueueStep(job.videoId, 'webhook', { job_id: job.id, event }, undefined, env.WEBHOOK_MAX_ATTEMPTS);
}
