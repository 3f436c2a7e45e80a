// What an analysis handler needs of its video: the stored source and the probe metadata that ingest
// recorded (a step only starts after ingest completed, so they are present).
import { videosRepository } from '../../../server/repositories/videos.repository';
import { containerTimeOffset } from '../../analysis/frame-decoding';

export async function loadIngestedVideo(videoId: string) {
  const v = await videosRepository.findById(videoId);
  if (!v?.sourceKey || !v.width || !v.height || !v.fps || !v.duration || !v.frames) {
    throw new Error(`video ${videoId} has not been ingested`);
  }
  return {
    id: v.id,
    sourceKey: v.sourceKey,
    width: v.width,
    height: v.height,
    fps: v.fps,
    duration: v.duration,
    frames: v.frames,
    hasAudio: !!v.audioCodec,
    timeOffset: containerTimeOffset(v.formatName ?? '', v.startTime ?? 0),
  };
}
