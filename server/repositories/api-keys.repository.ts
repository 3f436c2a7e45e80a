// API keys in the database: only a hash of the secret is stored, plus its visible prefix.
import { db } from '../db';

export const apiKeysRepository = {
  create: (data: { accountId: string; name: string; prefix: string; secretHash: string }) => db.apiKey.create({ data }),
  findBySecretHash: (secretHash: string) => db.apiKey.findUnique({ where: { secretHash }, include: { account: true } }),
  listForAccount: (accountId: string) => db.apiKey.findMany({ where: { accountId }, orderBy: { createdAt: 'desc' } }),
  rename: (accountId: string, id: string, name: string) => db.apiKey.updateMany({ where: { id, accountId }, data: { name } }),
  revoke: (accountId: string, id: string, at: Date) =>
    db.apiKey.updateMany({ where: { id, accountId, revokedAt: null }, data: { revokedAt: at } }),
  findForAccount: (accountId: string, id: string) => db.apiKey.findFirst({ where: { id, accountId } }),
  touch: (id: string, at: Date) => db.apiKey.update({ where: { id }, data: { lastUsedAt: at } }),
};
