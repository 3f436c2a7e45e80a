// The dashboard's "download" confirmation: charges a video's outputs once (nothing when already
// paid) and returns what it cost and the balance after, so the page can show both.
import { creditsRepository } from '../../repositories/credits.repository';
import { getOwnedVideo } from '../videos/get-video';
import { chargeVideo, creditsForDuration } from './charge-video';

export async function purchaseVideo(accountId: string, videoId: string) {
  const video = await getOwnedVideo(accountId, videoId);
  await chargeVideo(accountId, video);
  return { charged: creditsForDuration(video.duration ?? 0), balance: await creditsRepository.balance(accountId) };
}
