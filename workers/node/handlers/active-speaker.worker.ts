// The `analyze:active_speaker` step: who of the tracked faces is speaking, by audio-visual synchrony
// (see speaker-analysis.ts), over the stored source and the stored face_tracking_yolov8 result;
// stored as `results/active_speaker.json`. Fails with `missing_dependency` when faces were not tracked.
import { ActiveSpeakerParams } from '../../../server/jobs/steps';
import { videoKeys } from '../../../server/repositories/storage';
import type { FaceTrackingResult } from '../../analysis/face-tracking-result';
import { analyzeActiveSpeaker } from '../speaker-analysis';
import type { StepHandler } from '../step-handler';
import { loadIngestedVideo } from './load-ingested-video';

export const activeSpeakerHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const video = await loadIngestedVideo(step.videoId);
  const params = ActiveSpeakerParams.parse(step.params);
  const facesKey = videoKeys.result(step.videoId, params.face_tracking_model);
  if (!(await storage.stat(facesKey))) {
    return {
      status: 'failed',
      code: 'missing_dependency',
      message: `Run ${params.face_tracking_model} on this video first: active_speaker scores the faces it tracked.`,
    };
  }
  const faces = JSON.parse((await storage.read(facesKey)).toString('utf8')) as FaceTrackingResult;
  const result = await storage.withLocalFile(video.sourceKey, (file) =>
    analyzeActiveSpeaker(file, video, faces, { sample_fps: params.sample_fps }, { signal, progress }),
  );
  const key = videoKeys.result(step.videoId, 'active_speaker');
  await storage.write(key, JSON.stringify(result));
  progress(1);
  return { status: 'completed', resultKey: key };
};
