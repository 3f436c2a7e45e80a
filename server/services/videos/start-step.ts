// Starts an analysis or transform step on one of the account's videos: the kind must be one this
// build provides (else 422 unknown_model_type), the video must be ingested and the analyses it builds
// on completed or under way (else 409 video_not_ready / missing_dependency; a transform with
// auto_analyze starts the missing ones itself), and only one live step per kind may exist (else 409
// step_in_progress with its status).
import { AppError } from '../../contracts/errors';
import { analyzeKind, transformKind, type StepStatus } from '../../contracts/steps';
import { enqueueStep } from '../../jobs/enqueue-step';
import { checkDependencies } from '../../jobs/check-dependencies';
import { isProvidedStep, STEP_PAYLOADS } from '../../jobs/steps';
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
  if (!isProvidedStep(kind) || kind === 'ingest' || kind === 'webhook') {
    throw new AppError('unknown_model_type', `${name} is not available in this build of the service.`);
  }
  const ingest = [...video.steps].reverse().find((s) => s.kind === 'ingest');
  if (ingest?.status !== 'completed') throw prerequisiteError(name, 'ingest', ingest?.status ?? 'missing');
  const params = STEP_PAYLOADS[kind].parse(request.parameters ?? {}) as Record<string, unknown>;
  const autoStart = kind.startsWith('transform:') && params.auto_analyze !== false;
  const deps = await checkDependencies(video.id, kind, params, { autoStart });
  if (deps.state === 'missing') throw prerequisiteError(name, deps.dependency.kind, deps.status);
  const step = await enqueueStep(video.id, kind, params);
  return { video_id: video.id, step: step.kind, status: step.status as StepStatus };
}

/** 409: the video is not ingested yet (or its ingest failed), or an analysis this one builds on is missing. */
function prerequisiteError(name: string, needed: string, status: string): AppError {
  const extra = { step: needed, status };
  if (needed === 'ingest') {
    return status === 'failed'
      ? new AppError('video_not_ready', 'The video could not be ingested, so it cannot be processed; ingest the file again.', extra)
      : new AppError(
          'video_not_ready',
          `The video is still being ingested (${status}); try again when its ingest step has completed.`,
          extra,
        );
  }
  const model = needed.replace(/^analyze:/, '');
  const state = status === 'missing' ? 'has not been run' : `is ${status}`;
  return new AppError(
    'missing_dependency',
    `${name} needs a completed ${model} result, and ${model} ${state} for this video. Run POST /api/v2/analyze with model_type ${model} first, or wait for it.`,
    extra,
  );
}
