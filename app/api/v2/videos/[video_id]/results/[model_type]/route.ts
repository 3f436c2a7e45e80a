// GET /api/v2/videos/{video_id}/results/{model_type}[?format=rttm] — the stored result of a completed
// analysis as JSON, or a diarization result as RTTM.
import { apiRoute } from '../../../../../../../server/http/api-route';
import { getResult } from '../../../../../../../server/services/videos/get-result';
import { getResultRttm } from '../../../../../../../server/services/videos/get-result-rttm';

export const GET = apiRoute<{ video_id: string; model_type: string }>(async ({ req, account, params }) => {
  if (new URL(req.url).searchParams.get('format') !== 'rttm') return getResult(account.id, params.video_id, params.model_type);
  const rttm = await getResultRttm(account.id, params.video_id, params.model_type);
  return new Response(rttm, {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="${params.video_id}.rttm"` },
  });
});
