// GET /api/v2/reframe/{job_id} — { status, step, progress, video_id, download_url?, error? }.
import { apiRoute } from '../../../../../server/http/api-route';
import { getReframeJob } from '../../../../../server/services/reframe-jobs/get-reframe-job';

export const GET = apiRoute<{ job_id: string }>(async ({ account, params }) => getReframeJob(account.id, params.job_id));
