// POST /api/v2/reframe — { url, start_time?, end_time?, llm?, diarization?, aspect_ratio?, layout?,
// callback_url? } → 202 { job_id, status: "processing", step: "ingesting", video_id }.
import { ReframeJobRequest } from '../../../../server/contracts/reframe';
import { apiRoute, readJson } from '../../../../server/http/api-route';
import { createReframeJob } from '../../../../server/services/reframe-jobs/create-reframe-job';

// An Idempotency-Key header makes a retried request return the first job instead of a second one.
export const POST = apiRoute(
  async ({ req, account }) => createReframeJob(account.id, await readJson(req, ReframeJobRequest), req.headers.get('idempotency-key')),
  { status: 202 },
);
