// The status of a video's work: the most recent step at the top, every step in `steps`.
import type { StatusResponse } from '../../contracts/api';
import { getOwnedVideo } from './get-video';
import { toStepView } from './video-view';

export async function getStatus(accountId: string, videoId: string): Promise<StatusResponse> {
  const video = await getOwnedVideo(accountId, videoId);
  const steps = video.steps.map(toStepView);
  const latest = steps.at(-1)!;
  return {
    video_id: video.id,
    step: latest.step,
    status: latest.status,
    progress: latest.progress,
    ...(latest.error ? { error: latest.error } : {}),
    ...(latest.result_url ? { result_url: latest.result_url } : {}),
    steps,
  };
}
