// Charges an account for a video's outputs: floor(duration) credits, once per video however many
// outputs or concurrent downloads there are; 402 insufficient_credits when the balance is short.
import { AppError } from '../../contracts/errors';
import { creditsRepository } from '../../repositories/credits.repository';

export const creditsForDuration = (seconds: number) => Math.max(0, Math.floor(seconds));

export async function chargeVideo(accountId: string, video: { id: string; duration: number | null }) {
  const seconds = creditsForDuration(video.duration ?? 0);
  const outcome = await creditsRepository.charge({
    accountId,
    amount: seconds,
    reason: 'video_download',
    idempotencyKey: `video:${video.id}`,
    videoId: video.id,
    seconds,
  });
  if (outcome.kind === 'insufficient') {
    throw new AppError('insufficient_credits', `This video needs ${seconds} credits; the account has ${outcome.balance}.`, {
      credits_required: seconds,
      credits_remaining: outcome.balance,
    });
  }
  return outcome;
}
