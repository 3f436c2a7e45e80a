// Runs a failed step of one of the account's videos again with the parameters it had: ingest is
// queued anew on the stored source (or URL); analyses and transforms go through startStep, so its
// 409/422 rules apply. Only the latest step of a kind can be retried, and only when it failed.
import { AppError } from '../../contracts/errors';
import { enqueueStep } from '../../jobs/enqueue-step';
import type { StepStatus } from '../../contracts/steps';
import { getOwnedVideo } from './get-video';
import { startStep } from './start-step';

export async function retryStep(accountId: string, videoId: string, kind: string) {
  const video = await getOwnedVideo(accountId, videoId);
  const step = video.steps.filter((s) => s.kind === kind).at(-1);
  if (!step) throw new AppError('not_found', `This video has no ${kind} step.`);
  if (step.status !== 'failed')
    throw new AppError('step_in_progress', `The step ${kind} is ${step.status}, not failed.`, { step: kind, status: step.status });
  const parameters = JSON.parse(step.params) as Record<string, unknown>;
  if (kind === 'ingest') {
    const queued = await enqueueStep(video.id, 'ingest', parameters);
    return { video_id: video.id, step: queued.kind, status: queued.status as StepStatus };
  }
  if (kind.startsWith('analyze:'))
    return startStep(accountId, { video_id: video.id, model_type: kind.slice('analyze:'.length), parameters });
  if (kind.startsWith('transform:'))
    return startStep(accountId, { video_id: video.id, transform_type: kind.slice('transform:'.length), parameters });
  throw new AppError('not_found', `The step ${kind} cannot be retried from here.`);
}
