// GET /api/v2/videos?limit=&cursor= — the account's videos, newest first.
import { ListVideosQuery } from '../../../../server/contracts/api';
import { apiRoute } from '../../../../server/http/api-route';
import { listVideos } from '../../../../server/services/videos/list-videos';

export const GET = apiRoute(async ({ req, account }) => {
  const q = ListVideosQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listVideos(account.id, q.limit, q.cursor);
});
