// Accounts and their browser sessions in the database.
import { db } from '../db';

export const accountsRepository = {
  findByEmail: (email: string) => db.account.findUnique({ where: { email } }),
  findById: (id: string) => db.account.findUnique({ where: { id } }),
  createSession: (accountId: string, tokenHash: string, expiresAt: Date) =>
    db.session.create({ data: { accountId, tokenHash, expiresAt } }),
  findSession: (tokenHash: string) => db.session.findUnique({ where: { tokenHash }, include: { account: true } }),
  deleteSession: (tokenHash: string) => db.session.deleteMany({ where: { tokenHash } }),
  /** The account's webhook signing secret, created (once, race-free) on first use. */
  async webhookSecret(id: string, fresh: () => string): Promise<string> {
    await db.account.updateMany({ where: { id, webhookSecret: null }, data: { webhookSecret: fresh() } });
    return (await db.account.findUniqueOrThrow({ where: { id }, select: { webhookSecret: true } })).webhookSecret!;
  },
  setWebhookSecret: (id: string, secret: string) => db.account.update({ where: { id }, data: { webhookSecret: secret } }),
};

/** Creates an account and its sign-up credit grant in one transaction. */
export async function createAccountWithGrant(email: string, passwordHash: string | null, credits: number) {
  return db.$transaction(async (tx) => {
    const account = await tx.account.create({ data: { email, passwordHash } });
    if (credits > 0) {
      await tx.creditEntry.create({
        data: { accountId: account.id, amount: credits, reason: 'signup_grant', idempotencyKey: `signup:${account.id}` },
      });
    }
    return account;
  });
}
