// GET /api/v2/videos/{video_id}/results/{model_type} — the stored result of a completed analysis.
import { apiRoute } from '../../../../../../../server/http/api-route';
import { getResult } from '../../../../../../../server/services/videos/get-result';

export const GET = apiRoute<{ video_id: string; model_type: string }>(async ({ account, params }) =>
  getResult(account.id, params.video_id, params.model_type),
);
