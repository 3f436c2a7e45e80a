// Charges an account for a video's outputs: floor(duration) credits, once per video however many
// outputs or concurrent downloads there are; 402 insufficient_credits when the balance is short.
import { AppError } from '../../contracts/errors';
import { creditsRepository, type ChargeOutcome } from '../../repositories/credits.repository';

export const creditsForDuration = (seconds: number) => Math.max(0, Math.floor(seconds));

const chargeKey = (videoId: string) => `video:${videoId}`;

const insufficient = (seconds: number, balance: number) =>
  new AppError('insufficient_credits', `This video needs ${seconds} credits; the account has ${balance}.`, {
    credits_required: seconds,
    credits_remaining: balance,
  });

/** Whether the video's outputs are already paid for (then downloads cost nothing more). */
export async function isVideoPaid(videoId: string): Promise<boolean> {
  return (await creditsRepository.findByKey(chargeKey(videoId))) !== null;
}

/** The same 402 a charge would give, without charging (for HEAD requests). */
export async function assertVideoAffordable(accountId: string, video: { id: string; duration: number | null }) {
  const seconds = creditsForDuration(video.duration ?? 0);
  if (await creditsRepository.findByKey(chargeKey(video.id))) return;
  const balance = await creditsRepository.balance(accountId);
  if (balance < seconds) throw insufficient(seconds, balance);
}

export async function chargeVideo(accountId: string, video: { id: string; duration: number | null }): Promise<ChargeOutcome> {
  // Every download after the first is free, and the ledger is append-only: a plain read answers it,
  // without the charge's transaction, which locks the account row (50 parallel downloads of a paid
  // video took turns on that lock on PostgreSQL).
  if (await isVideoPaid(video.id)) return { kind: 'already_charged', balance: await creditsRepository.balance(accountId) };
  const seconds = creditsForDuration(video.duration ?? 0);
  const outcome = await creditsRepository.charge({
    accountId,
    amount: seconds,
    reason: 'video_download',
    idempotencyKey: chargeKey(video.id),
    videoId: video.id,
    seconds,
  });
  if (outcome.kind === 'insufficient') throw insufficient(seconds, outcome.balance);
  return outcome;
}
