// GET /api/v2/videos/{video_id} — the video's source, probe metadata and steps.
import { apiRoute } from '../../../../../server/http/api-route';
import { getOwnedVideo } from '../../../../../server/services/videos/get-video';
import { toVideoView } from '../../../../../server/services/videos/video-view';

export const GET = apiRoute<{ video_id: string }>(async ({ account, params }) =>
  toVideoView(await getOwnedVideo(account.id, params.video_id)),
);
