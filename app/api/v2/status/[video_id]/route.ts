// GET /api/v2/status/{video_id} — the latest step and every step of the video.
import { apiRoute } from '../../../../../server/http/api-route';
import { getStatus } from '../../../../../server/services/videos/get-status';

export const GET = apiRoute<{ video_id: string }>(async ({ account, params }) => getStatus(account.id, params.video_id));
