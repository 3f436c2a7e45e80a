// Creates a video row with its queued ingest step in one transaction, then wakes the queue.
import { randomUUID } from 'node:crypto';
import { enqueueStep } from '../../jobs/enqueue-step';
import { getQueue } from '../../jobs/queue';
import type { IngestPayload } from '../../jobs/steps';
import { videosRepository } from '../../repositories/videos.repository';

export const newVideoId = () => `vid_${randomUUID().replace(/-/g, '')}`;

export async function createVideo(
  video: {
    id: string;
    accountId: string;
    sourceType: 'url' | 'upload';
    sourceUrl?: string;
    sourceName?: string;
    sourceKey?: string;
    sizeBytes?: number;
  },
  payload: IngestPayload,
) {
  const step = await videosRepository.transaction(async (tx) => {
    await videosRepository.create({ ...video, sizeBytes: video.sizeBytes === undefined ? undefined : BigInt(video.sizeBytes) }, tx);
    return enqueueStep(video.id, 'ingest', payload, tx);
  });
  await getQueue().enqueue(step.id);
  return { video_id: video.id };
}
