// Accepts a video URL: checks scheme and address policy now (422 for a refused URL), and leaves the
// download and probe to the ingest step, so the caller gets its video_id at once.
import { env } from '../../env';
import { normalizeVideoUrl, parseAllowPrivate } from '../../repositories/address-policy';
import { assertUrlAllowed } from '../../repositories/url-fetch.repository';
import { createVideo, newVideoId } from './create-video';

export async function ingestUrl(accountId: string, rawUrl: string) {
  const url = normalizeVideoUrl(rawUrl);
  await assertUrlAllowed(url, parseAllowPrivate(env.ALLOW_PRIVATE_URLS));
  return createVideo({ id: newVideoId(), accountId, sourceType: 'url', sourceUrl: url.toString() }, { url: url.toString() });
}
