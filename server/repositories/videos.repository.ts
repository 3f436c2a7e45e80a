// Videos and their steps in the database (the step table doubles as the embedded queue).
import { db, type Prisma } from '../db';

export const videosRepository = {
  create: (data: Prisma.VideoUncheckedCreateInput, tx?: Prisma.TransactionClient) => (tx ?? db).video.create({ data }),
  /** Null when the video does not exist or belongs to another account (callers answer 404 either way). */
  findOwned: (accountId: string, id: string) =>
    db.video.findFirst({ where: { id, accountId }, include: { steps: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } }),
  listOwned: (accountId: string, take: number, cursor?: string) =>
    db.video.findMany({
      where: { accountId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: { steps: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    }),
  findById: (id: string) => db.video.findUnique({ where: { id } }),
  update: (id: string, data: Prisma.VideoUncheckedUpdateInput) => db.video.update({ where: { id }, data }),
  transaction: <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => db.$transaction(fn),
};

export type VideoWithSteps = NonNullable<Awaited<ReturnType<typeof videosRepository.findOwned>>>;
