// POST /api/v2/reframe — { url, start_time?, end_time?, llm?, diarization?, aspect_ratio?, layout?,
// callback_url? } → 202 { job_id, status: "processing", step: "ingesting", video_id }.
import { ReframeJobRequest } from '../../../../server/contracts/reframe';
import { apiRoute, readJson } from '../../../../server/http/api-route';
import { createReframeJob } from '../../../../server/services/reframe-jobs/create-reframe-job';

export const POST = apiRoute(async ({ req, account }) => createReframeJob(account.id, await readJson(req, ReframeJobRequest)), {
  status: 202,
});
