// The account's videos, newest first, a page at a time (cursor = the last video id of a page).
import { videosRepository } from '../../repositories/videos.repository';
import { toVideoView } from './video-view';

export async function listVideos(accountId: string, limit: number, cursor?: string) {
  const rows = await videosRepository.listOwned(accountId, limit, cursor);
  const page = rows.slice(0, limit);
  return { videos: page.map(toVideoView), next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
