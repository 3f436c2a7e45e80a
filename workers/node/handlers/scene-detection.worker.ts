// The `analyze:scene_detection` step: scene detection over the stored source (see scene-analysis.ts),
// stored as `results/scene_detection.json`. Progress follows decoded frames.
import { SceneDetectionParams } from '../../../server/jobs/steps';
import { videoKeys } from '../../../server/repositories/storage';
import { analyzeScenes } from '../scene-analysis';
import type { StepHandler } from '../step-handler';
import { loadIngestedVideo } from './load-ingested-video';

export const sceneDetectionHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const params = SceneDetectionParams.parse(step.params);
  const video = await loadIngestedVideo(step.videoId);
  const result = await storage.withLocalFile(video.sourceKey, (file) => analyzeScenes(file, video, params, { signal, progress }));
  const key = videoKeys.result(step.videoId, 'scene_detection');
  await storage.write(key, JSON.stringify(result));
  return { status: 'completed', resultKey: key };
};
