// The stored JSON result of a completed analysis of one of the account's videos.
import { AppError } from '../../contracts/errors';
import { ModelType } from '../../contracts/steps';
import { storage, videoKeys } from '../../repositories/storage';
import { getOwnedVideo } from './get-video';

export async function getResult(accountId: string, videoId: string, modelType: string): Promise<unknown> {
  const video = await getOwnedVideo(accountId, videoId);
  if (!ModelType.safeParse(modelType).success) throw new AppError('not_found', `No analysis called ${modelType}.`);
  const step = [...video.steps].reverse().find((s) => s.kind === `analyze:${modelType}` && s.status === 'completed');
  if (!step?.resultKey) throw new AppError('not_found', `No completed ${modelType} result for this video yet.`);
  return JSON.parse((await storage.read(videoKeys.result(video.id, modelType))).toString('utf8'));
}
