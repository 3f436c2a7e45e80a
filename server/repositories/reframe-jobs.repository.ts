// One-shot reframe jobs: creation (with the video and its ingest step, by the caller's transaction),
// lookups by id/owner/video, and the terminal transitions (each a conditional update, so a job ends once).
import { db, type Prisma } from '../db';

export type ReframeJobRow = Awaited<ReturnType<typeof db.reframeJob.findUniqueOrThrow>>;

export const reframeJobsRepository = {
  create: (data: Prisma.ReframeJobUncheckedCreateInput, tx?: Prisma.TransactionClient) => (tx ?? db).reframeJob.create({ data }),
  /** Null when the job does not exist or belongs to another account (callers answer 404 either way). */
  findOwned: (accountId: string, id: string) => db.reframeJob.findFirst({ where: { id, accountId } }),
  findById: (id: string) => db.reframeJob.findUnique({ where: { id } }),
  findByIdempotencyKey: (accountId: string, idempotencyKey: string) =>
    db.reframeJob.findUnique({ where: { accountId_idempotencyKey: { accountId, idempotencyKey } } }),
  processing: () => db.reframeJob.findMany({ where: { status: 'processing' }, orderBy: { createdAt: 'asc' }, take: 1000 }),
  findProcessingByVideo: (videoId: string) => db.reframeJob.findFirst({ where: { videoId, status: 'processing' } }),
  /** Ends a processing job; false when it had already ended. */
  async finish(
    id: string,
    data: { status: 'completed'; creditsCharged: number } | { status: 'failed'; errorCode: string; errorMessage: string },
  ): Promise<boolean> {
    const { count } = await db.reframeJob.updateMany({ where: { id, status: 'processing' }, data: { ...data, finishedAt: new Date() } });
    return count === 1;
  },
};
