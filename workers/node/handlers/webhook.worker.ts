// The `webhook` step: POSTs a one-shot job's outcome (the same JSON as GET /api/v2/reframe/{job_id},
// plus the event name) to its callback_url, signed with the account's webhook secret. A refused
// delivery (4xx, redirect, forbidden address) fails the step; a transient one throws, so the queue
// retries it with backoff until WEBHOOK_MAX_ATTEMPTS.
import { env } from '../../../server/env';
import { WebhookPayload } from '../../../server/jobs/steps';
import { reframeJobsRepository } from '../../../server/repositories/reframe-jobs.repository';
import { videosRepository } from '../../../server/repositories/videos.repository';
import { sendWebhook } from '../../../server/repositories/webhook-sender.repository';
import { toReframeJobView } from '../../../server/services/reframe-jobs/reframe-job-view';
import { getWebhookSecret } from '../../../server/services/webhooks/get-webhook-secret';
import type { StepHandler } from '../step-handler';

export const webhookHandler: StepHandler = async ({ step, signal }) => {
  const payload = WebhookPayload.parse(step.params);
  const job = await reframeJobsRepository.findById(payload.job_id);
  if (!job?.callbackUrl) return { status: 'failed', code: 'not_found', message: 'The job or its callback URL is gone.' };
  const video = job.videoId ? await videosRepository.findOwned(job.accountId, job.videoId) : null;
  const body = JSON.stringify({ event: payload.event, ...toReframeJobView(job, video?.steps ?? []) });
  const delivery = await sendWebhook({
    url: job.callbackUrl,
    body,
    secret: await getWebhookSecret(job.accountId),
    // One id per event, the same on every retry, so receivers can drop duplicates.
    eventId: `${job.id}.${payload.event}`,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    signal,
  });
  if (delivery.delivered) return { status: 'completed' };
  if (delivery.permanent) return { status: 'failed', code: 'webhook_rejected', message: delivery.reason };
  throw new Error(`webhook delivery failed: ${delivery.reason}`);
};
