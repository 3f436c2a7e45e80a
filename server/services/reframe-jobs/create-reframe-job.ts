// POST /api/v2/reframe: checks the URL and callback URL now (422), the balance against what is known
// of the clip (402: nothing left, or less than end_time − start_time), then creates the video, its
// ingest step and the job in one transaction. The worker carries the job on (server/jobs/follow-ups.ts).
// With an Idempotency-Key, a repeated request returns the first job (422 if its body differs).
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../db';
import { AppError } from '../../contracts/errors';
import type { ReframeJobRequest } from '../../contracts/reframe';
import { env } from '../../env';
import { enqueueStep } from '../../jobs/enqueue-step';
import { getQueue } from '../../jobs/queue';
import { normalizeVideoUrl, parseAllowPrivate } from '../../repositories/address-policy';
import { creditsRepository } from '../../repositories/credits.repository';
import { reframeJobsRepository } from '../../repositories/reframe-jobs.repository';
import { assertUrlAllowed } from '../../repositories/url-fetch.repository';
import { videosRepository } from '../../repositories/videos.repository';
import { validateCallbackUrl } from '../../repositories/webhook-sender.repository';
import { newVideoId } from '../videos/create-video';
import { getReframeJob } from './get-reframe-job';

export const newJobId = () => `job_${randomUUID().replace(/-/g, '')}`;

export async function createReframeJob(accountId: string, request: ReframeJobRequest, idempotencyKey?: string | null) {
  if (idempotencyKey && idempotencyKey.length > 200)
    throw new AppError('validation_error', 'Idempotency-Key is longer than 200 characters.');
  const repeated = idempotencyKey ? await repeatOf(accountId, idempotencyKey, request) : null;
  if (repeated) return repeated;
  if (request.start_time !== undefined && request.end_time !== undefined && request.end_time <= request.start_time) {
    throw new AppError('validation_error', 'end_time must be after start_time.');
  }
  if (request.callback_url) {
    const problem = validateCallbackUrl(request.callback_url);
    if (problem) throw new AppError('invalid_callback_url', problem);
  }
  const url = normalizeVideoUrl(request.url);
  await assertUrlAllowed(url, parseAllowPrivate(env.ALLOW_PRIVATE_URLS));

  const atLeast = request.end_time !== undefined ? Math.floor(request.end_time - (request.start_time ?? 0)) : 1;
  const balance = await creditsRepository.balance(accountId);
  if (balance < atLeast || balance <= 0) {
    throw new AppError('insufficient_credits', `This clip needs at least ${Math.max(1, atLeast)} credits; the account has ${balance}.`, {
      credits_required: Math.max(1, atLeast),
      credits_remaining: balance,
    });
  }

  const videoId = newVideoId();
  const jobId = newJobId();
  const step = await videosRepository
    .transaction(async (tx) => {
      await videosRepository.create({ id: videoId, accountId, sourceType: 'url', sourceUrl: url.toString() }, tx);
      await reframeJobsRepository.create(
        {
          id: jobId,
          accountId,
          videoId,
          status: 'processing',
          params: JSON.stringify({ ...request, url: url.toString() }),
          callbackUrl: request.callback_url ?? null,
          idempotencyKey: idempotencyKey || null,
        },
        tx,
      );
      return enqueueStep(videoId, 'ingest', { url: url.toString() }, tx);
    })
    .catch(async (error: unknown) => {
      // The same key sent twice at once: the other request created the job.
      if (idempotencyKey && isUniqueViolation(error)) return null;
      throw error;
    });
  if (!step) return (await repeatOf(accountId, idempotencyKey!, request))!;
  await getQueue().enqueue(step.id);
  return { job_id: jobId, status: 'processing' as const, step: 'ingesting', video_id: videoId };
}

async function repeatOf(accountId: string, key: string, request: ReframeJobRequest) {
  const job = await reframeJobsRepository.findByIdempotencyKey(accountId, key);
  if (!job) return null;
  const { url: _firstUrl, ...first } = JSON.parse(job.params) as ReframeJobRequest;
  const { url: _url, ...now } = request;
  if (JSON.stringify(first) !== JSON.stringify(now)) {
    throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used for a different request.');
  }
  const view = await getReframeJob(accountId, job.id);
  return { job_id: view.job_id, status: view.status, step: view.step, video_id: view.video_id };
}
