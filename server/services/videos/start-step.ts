// Starts an analysis or transform step on one of the account's videos: the kind must be one this
// build provides (else 422 unknown_model_type), the video must be ingested (else 409), and only one
// live step per kind may exist (else 409 with its status).
import { AppError } from '../../contracts/errors';
import { analyzeKind, transformKind, type StepStatus } from '../../contracts/steps';
import { enqueueStep } from '../../jobs/enqueue-step';
import { isProvidedStep, prerequisitesOf, STEP_PAYLOADS } from '../../jobs/steps';
import { getOwnedVideo } from './get-video';

export async function startStep(
  accountId: string,
  request: { video_id: string; parameters?: Record<string, unknown> } & ({ model_type: string } | { transform_type: string }),
) {
  const [kind, name] =
    'model_type' in request
      ? [analyzeKind(request.model_type), request.model_type]
      : [transformKind(request.transform_type), request.transform_type];
  const video = await getOwnedVideo(accountId, request.video_id);
  if (!isProvidedStep(kind) || kind === 'ingest') {
    throw new AppError('unknown_model_type', `${name} is not available in this build of the service.`);
  }
  for (const needed of prerequisitesOf(kind)) {
    const latest = [...video.steps].reverse().find((s) => s.kind === needed);
    if (latest?.status !== 'completed') {
      throw new AppError('video_not_ready', `The video's ${needed} step is ${latest?.status ?? 'missing'}; wait until it has completed.`, {
        step: needed,
        status: latest?.status ?? 'missing',
      });
    }
  }
  const params = STEP_PAYLOADS[kind].parse(request.parameters ?? {});
  const step = await enqueueStep(video.id, kind, params);
  return { video_id: video.id, step: step.kind, status: step.status as StepStatus };
}
