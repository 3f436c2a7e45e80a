// The stored crop path of a video's last reframe (outputs/reframe_path.json), for the dashboard's
// editor; null before the first reframe. Reading it never charges.
import { storage, videoKeys } from '../../repositories/storage';
import { getOwnedVideo } from './get-video';

export async function getCropPath(accountId: string, videoId: string): Promise<unknown> {
  const video = await getOwnedVideo(accountId, videoId);
  const key = videoKeys.output(video.id, 'reframe_path.json');
  if (!(await storage.stat(key))) return null;
  return JSON.parse((await storage.read(key)).toString('utf8')) as unknown;
}
