// The dashboard's "download" confirmation: charges a video's outputs once (nothing when already
// paid) and returns what this call charged and the balance after, so the page can show both.
import { getOwnedVideo } from '../videos/get-video';
import { chargeVideo, creditsForDuration } from './charge-video';

export async function purchaseVideo(accountId: string, videoId: string) {
  const video = await getOwnedVideo(accountId, videoId);
  const outcome = await chargeVideo(accountId, video);
  return { charged: outcome.kind === 'charged' ? creditsForDuration(video.duration ?? 0) : 0, balance: outcome.balance };
}
