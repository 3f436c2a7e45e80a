// One video of the account, with its steps; another account's video is "not found".
import { AppError } from '../../contracts/errors';
import { videosRepository } from '../../repositories/videos.repository';

export async function getOwnedVideo(accountId: string, videoId: string) {
  const video = await videosRepository.findOwned(accountId, videoId);
  if (!video) throw new AppError('not_found', 'No video with this id.');
  return video;
}
