// Decides whether a step can run now, from the latest step of each kind it depends on (see
// dependenciesOf): ready, waiting for live ones (after starting missing ones when `autoStart`), or
// missing a required one. Used when a step is requested (REST/tRPC) and again by the worker before it runs.
// A reframe needs active_speaker only when two faces are ever on screen together.
import { AppError } from '../contracts/errors';
import type { StepKind } from '../contracts/steps';
import { storage, videoKeys } from '../repositories/storage';
import { stepsRepository } from '../repositories/steps.repository';
import { hasSimultaneousFaces } from '../../workers/analysis/face-tracking-result';
import { enqueueStep } from './enqueue-step';
import { dependenciesOf, STEP_PAYLOADS, type Dependency } from './steps';

export type DependencyState =
  { state: 'ready' } | { state: 'waiting'; on: StepKind[] } | { state: 'missing'; dependency: Dependency; status: string; message: string };

export async function checkDependencies(
  videoId: string,
  kind: string,
  params: Record<string, unknown>,
  opts: { autoStart: boolean },
): Promise<DependencyState> {
  const waiting: StepKind[] = [];
  for (const dep of dependenciesOf(kind, params)) {
    const latest = await stepsRepository.latestOfKind(videoId, dep.kind);
    const status = latest?.status ?? 'missing';
    if (status === 'completed') continue;
    if (status === 'queued' || status === 'running') {
      waiting.push(dep.kind);
      continue;
    }
    // Read the face tracks only when it decides something: whether to start or require this one.
    if (dep.onlyWithSeveralFaces && !(await severalFaces(videoId))) continue;
    if (status === 'missing' && dep.autoRun && opts.autoStart) {
      await startDependency(videoId, dep);
      waiting.push(dep.kind);
      continue;
    }
    if (!dep.required) continue;
    return { state: 'missing', dependency: dep, status, message: latest?.errorMessage ?? '' };
  }
  return waiting.length ? { state: 'waiting', on: waiting } : { state: 'ready' };
}

/** True once face tracking has completed and shows two faces at once; false before (wait for it first). */
async function severalFaces(videoId: string): Promise<boolean> {
  const faces = await stepsRepository.latestOfKind(videoId, 'analyze:face_tracking_yolov8');
  if (faces?.status !== 'completed') return false;
  const result = JSON.parse((await storage.read(videoKeys.result(videoId, 'face_tracking_yolov8'))).toString('utf8')) as {
    tracks: { first_seen: number; last_seen: number }[];
  };
  return hasSimultaneousFaces(result.tracks);
}

async function startDependency(videoId: string, { kind, autoParams = {} }: Dependency) {
  try {
    await enqueueStep(videoId, kind, STEP_PAYLOADS[kind].parse(autoParams) as Record<string, unknown>);
  } catch (error) {
    // Someone else started it a moment ago: waiting for theirs is just as good.
    if (!(error instanceof AppError && error.code === 'step_in_progress')) throw error;
  }
}
