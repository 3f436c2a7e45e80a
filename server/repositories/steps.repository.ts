// Step rows: creation, the worker's claim/heartbeat/finish transitions, and recovery of steps whose
// worker died. Every transition is a conditional update, so two workers can never both own a step.
import { db, type Prisma } from '../db';

export type StepRow = Awaited<ReturnType<typeof db.step.findUniqueOrThrow>>;

export const stepsRepository = {
  create: (data: Prisma.StepUncheckedCreateInput, tx?: Prisma.TransactionClient) => (tx ?? db).step.create({ data }),
  findLive: (videoId: string, kind: string) => db.step.findFirst({ where: { videoId, kind, status: { in: ['queued', 'running'] } } }),
  findById: (id: string) => db.step.findUnique({ where: { id } }),
  latestOfKind: (videoId: string, kind: string) => db.step.findFirst({ where: { videoId, kind }, orderBy: { createdAt: 'desc' } }),
  latestCompleted: (videoId: string, kind: string) =>
    db.step.findFirst({ where: { videoId, kind, status: 'completed' }, orderBy: { finishedAt: 'desc' } }),

  /** Ids of steps ready to run, oldest first. */
  async dueIds(now: Date, take: number): Promise<string[]> {
    const rows = await db.step.findMany({
      where: { status: 'queued', runAfter: { lte: now } },
      orderBy: [{ runAfter: 'asc' }, { createdAt: 'asc' }],
      take,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  },

  /** Moves a queued step to running for `workerId`; null if someone else got it first. */
  async claim(id: string, workerId: string, now: Date): Promise<StepRow | null> {
    const { count } = await db.step.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'running', lockedBy: workerId, lockedAt: now, startedAt: now, attempts: { increment: 1 }, progress: 0 },
    });
    return count === 1 ? db.step.findUnique({ where: { id } }) : null;
  },

  /** Refreshes the lock and progress; false when the step is no longer ours (it was recovered). */
  async heartbeat(id: string, workerId: string, progress?: number): Promise<boolean> {
    const { count } = await db.step.updateMany({
      where: { id, status: 'running', lockedBy: workerId },
      data: { lockedAt: new Date(), ...(progress === undefined ? {} : { progress }) },
    });
    return count === 1;
  },

  finish: (id: string, workerId: string, data: Prisma.StepUncheckedUpdateManyInput) =>
    db.step.updateMany({ where: { id, status: 'running', lockedBy: workerId }, data: { ...data, lockedBy: null, lockedAt: null } }),

  /** Running steps whose lock is older than `staleBefore`, or held by one of `deadWorkers`. */
  orphaned: (staleBefore: Date, deadWorkers: string[]) =>
    db.step.findMany({
      where: { status: 'running', OR: [{ lockedAt: { lt: staleBefore } }, { lockedBy: { in: deadWorkers } }] },
    }),
  runningLockHolders: async () =>
    (await db.step.findMany({ where: { status: 'running' }, select: { lockedBy: true }, distinct: ['lockedBy'] }))
      .map((r) => r.lockedBy)
      .filter((x): x is string => !!x),

  /** Puts an orphaned step back in the queue (or fails it when its attempts are used up). */
  release: (id: string, lockedBy: string | null, data: Prisma.StepUncheckedUpdateManyInput) =>
    db.step.updateMany({ where: { id, status: 'running', lockedBy }, data: { ...data, lockedBy: null, lockedAt: null } }),
};
