// The `analyze:face_tracking_yolov8` step: face detection and tracking over the stored source (see
// face-analysis.ts), with tracks ending at the cuts of a stored scene_detection result when there is
// one; stored as `results/face_tracking_yolov8.json`. Progress follows sampled frames.
import { env } from '../../../server/env';
import { FaceTrackingParams } from '../../../server/jobs/steps';
import type { Storage } from '../../../server/repositories/storage';
import { videoKeys } from '../../../server/repositories/storage';
import { analyzeFaces } from '../face-analysis';
import type { StepHandler } from '../step-handler';
import { loadIngestedVideo } from './load-ingested-video';

export const faceTrackingHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const params = FaceTrackingParams.parse(step.params);
  const video = await loadIngestedVideo(step.videoId);
  const cutFrames = await storedCutFrames(storage, step.videoId);
  const result = await storage.withLocalFile(video.sourceKey, (file) =>
    analyzeFaces(file, video, params, { signal, progress, cutFrames, faceModelSetting: env.FACE_MODEL }),
  );
  const key = videoKeys.result(step.videoId, 'face_tracking_yolov8');
  await storage.write(key, JSON.stringify(result));
  return { status: 'completed', resultKey: key };
};

/** First frames of every scene after the first, from a stored scene_detection result (if any). */
async function storedCutFrames(storage: Storage, videoId: string): Promise<number[]> {
  const key = videoKeys.result(videoId, 'scene_detection');
  if (!(await storage.stat(key))) return [];
  const result = JSON.parse((await storage.read(key)).toString('utf8')) as { scenes: { start_frame: number }[] };
  return result.scenes.slice(1).map((s) => s.start_frame);
}
