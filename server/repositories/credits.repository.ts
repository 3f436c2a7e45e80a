// The credit ledger: append-only entries; the balance is their sum. A charge runs in a transaction
// that first writes-locks the account row, so concurrent charges of one account are serialized and
// the balance check cannot be raced; the unique idempotency key makes a repeated charge a no-op.
import { db, isUniqueViolation } from '../db';

export interface ChargeRequest {
  accountId: string;
  amount: number;
  reason: string;
  idempotencyKey: string;
  videoId?: string;
  seconds?: number;
}

export type ChargeOutcome =
  { kind: 'charged'; balance: number } | { kind: 'already_charged'; balance: number } | { kind: 'insufficient'; balance: number };

export const creditsRepository = {
  async balance(accountId: string): Promise<number> {
    const sum = await db.creditEntry.aggregate({ where: { accountId }, _sum: { amount: true } });
    return sum._sum.amount ?? 0;
  },

  recent: (accountId: string, take = 50) =>
    db.creditEntry.findMany({ where: { accountId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take }),

  findByKey: (idempotencyKey: string) => db.creditEntry.findUnique({ where: { idempotencyKey } }),

  /** Adds a (positive or negative) entry unconditionally; a repeated key returns the first entry. */
  async append(entry: ChargeRequest) {
    try {
      return await db.creditEntry.create({ data: entry });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return db.creditEntry.findUniqueOrThrow({ where: { idempotencyKey: entry.idempotencyKey } });
    }
  },

  /** Debits `amount` once per idempotency key, only if the balance covers it. */
  async charge(req: ChargeRequest): Promise<ChargeOutcome> {
    try {
      return await db.$transaction(async (tx) => {
        await tx.account.update({ where: { id: req.accountId }, data: { updatedAt: new Date() } });
        const balanceOf = async () =>
          (await tx.creditEntry.aggregate({ where: { accountId: req.accountId }, _sum: { amount: true } }))._sum.amount ?? 0;
        if (await tx.creditEntry.findUnique({ where: { idempotencyKey: req.idempotencyKey } })) {
          return { kind: 'already_charged', balance: await balanceOf() } as const;
        }
        const balance = await balanceOf();
        if (balance < req.amount) return { kind: 'insufficient', balance } as const;
        await tx.creditEntry.create({ data: { ...req, amount: -req.amount } });
        return { kind: 'charged', balance: balance - req.amount } as const;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { kind: 'already_charged', balance: await this.balance(req.accountId) };
    }
  },
};
