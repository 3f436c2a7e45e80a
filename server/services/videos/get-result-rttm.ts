// A completed diarization result of one of the account's videos as an RTTM document (the format
// diarization tools score and exchange), for `GET …/results/diarization?format=rttm`.
import { AppError } from '../../contracts/errors';
import { writeRttm } from '../../../workers/analysis/rttm';
import { getResult } from './get-result';

export async function getResultRttm(accountId: string, videoId: string, modelType: string): Promise<string> {
  if (modelType !== 'diarization') throw new AppError('validation_error', 'format=rttm is available for diarization results only.');
  const result = (await getResult(accountId, videoId, modelType)) as { segments: { start: number; end: number; speaker: string }[] };
  return writeRttm(result.segments, videoId);
}
