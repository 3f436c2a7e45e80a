// Creates a step row (status `queued`) for a video and hands it to the queue (inside a caller's transaction,
// the caller enqueues after commit). One live step per
// (video, kind) is enforced by a partial unique index; a second start answers 409 with the live one.
import { isUniqueViolation, type Prisma } from '../db';
import { stepsRepository } from '../repositories/steps.repository';
import { env } from '../env';
import { AppError } from '../contracts/errors';
import type { StepKind } from '../contracts/steps';
import { getQueue } from './queue';

export async function enqueueStep(
  videoId: string,
  kind: StepKind,
  params: Record<string, unknown> = {},
  tx?: Prisma.TransactionClient,
  maxAttempts = env.STEP_MAX_ATTEMPTS,
) {
  try {
    const step = await stepsRepository.create({ videoId, kind, params: JSON.stringify(params), maxAttempts }, tx);
    if (!tx) await getQueue().enqueue(step.id);
    return step;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const live = await stepsRepository.findLive(videoId, kind);
    throw new AppError('step_in_progress', `The step ${kind} is already ${live?.status ?? 'queued'} for this video.`, {
      step: kind,
      status: live?.status ?? 'queued',
      progress: live?.progress ?? 0,
    });
  }
}
