// The `analyze:diarization` step: who spoke when in the stored source (see diarization-analysis.ts),
// guided by a stored active_speaker result when there is one (speaker count prior, face links);
// stored as `results/diarization.json`.
import { DiarizationParams } from '../../../server/jobs/steps';
import type { Storage } from '../../../server/repositories/storage';
import { videoKeys } from '../../../server/repositories/storage';
import type { ActiveSpeakerResult } from '../../analysis/speaker-linking';
import { analyzeDiarization } from '../diarization-analysis';
import type { StepHandler } from '../step-handler';
import { loadIngestedVideo } from './load-ingested-video';

export const diarizationHandler: StepHandler = async ({ step, storage, signal, progress }) => {
  const params = DiarizationParams.parse(step.params);
  const video = await loadIngestedVideo(step.videoId);
  const activeSpeaker = await storedActiveSpeaker(storage, step.videoId);
  const result = await storage.withLocalFile(video.sourceKey, (file) =>
    analyzeDiarization(
      file,
      { numSpeakers: params.num_speakers, minSpeakers: params.min_speakers, maxSpeakers: params.max_speakers, activeSpeaker },
      { signal, progress },
    ),
  );
  const key = videoKeys.result(step.videoId, 'diarization');
  await storage.write(key, JSON.stringify(result));
  return { status: 'completed', resultKey: key };
};

async function storedActiveSpeaker(storage: Storage, videoId: string): Promise<ActiveSpeakerResult | undefined> {
  const key = videoKeys.result(videoId, 'active_speaker');
  if (!(await storage.stat(key))) return undefined;
  return JSON.parse((await storage.read(key)).toString('utf8')) as ActiveSpeakerResult;
}
