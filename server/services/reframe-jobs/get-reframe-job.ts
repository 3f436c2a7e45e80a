// GET /api/v2/reframe/{job_id}: one of the account's jobs with its live stage and progress; another
// account's job is "not found".
import { AppError } from '../../contracts/errors';
import { reframeJobsRepository } from '../../repositories/reframe-jobs.repository';
import { videosRepository } from '../../repositories/videos.repository';
import { toReframeJobView } from './reframe-job-view';

export async function getReframeJob(accountId: string, jobId: string) {
  const job = await reframeJobsRepository.findOwned(accountId, jobId);
  if (!job) throw new AppError('not_found', 'No reframe job with this id.');
  const video = job.videoId ? await videosRepository.findOwned(accountId, job.videoId) : null;
  return toReframeJobView(job, video?.steps ?? []);
}
