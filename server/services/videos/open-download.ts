// Resolves `suffix` to a stored output of one of the account's videos, and charges for it when bytes
// are about to be sent: the first download of any output of a video costs floor(duration) credits, once.
import { AppError } from '../../contracts/errors';
import { storage, videoKeys } from '../../repositories/storage';
import { assertVideoAffordable, chargeVideo } from '../credits/charge-video';
import { getOwnedVideo } from './get-video';

/** Downloadable outputs: suffix → file name under outputs/ and its content type. */
export const OUTPUTS: Record<string, { file: string; contentType: string }> = {
  _reframe: { file: 'reframe.mp4', contentType: 'video/mp4' },
  _reframe_path: { file: 'reframe_path.json', contentType: 'application/json' },
};

export async function openDownload(accountId: string, videoId: string, suffix: string) {
  const output = Object.hasOwn(OUTPUTS, suffix) ? OUTPUTS[suffix] : undefined;
  if (!output) throw new AppError('not_found', `Unknown suffix ${JSON.stringify(suffix)}; use one of ${Object.keys(OUTPUTS).join(', ')}.`);
  const video = await getOwnedVideo(accountId, videoId);
  const key = videoKeys.output(video.id, output.file);
  const stat = await storage.stat(key);
  if (!stat) throw new AppError('not_found', `This video has no ${suffix} output yet.`);
  return {
    /** Call before sending the body (not for HEAD, 304 or 416): 402 when the balance is short. */
    charge: () => chargeVideo(accountId, video),
    /** For HEAD: the 402 a GET would get, without charging. */
    assertAffordable: () => assertVideoAffordable(accountId, video),
    key,
    size: stat.size,
    contentType: output.contentType,
    etag: `"${video.id.slice(-8)}-${stat.size.toString(36)}-${stat.modified.getTime().toString(36)}"`,
    lastModified: stat.modified,
    fileName: `${video.id}${suffix}.${output.file.split('.').pop()}`,
  };
}
