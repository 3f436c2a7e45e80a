// Resolves a session cookie's token to its account, or null when absent, unknown or expired.
import { accountsRepository } from '../../repositories/accounts.repository';
import { hashToken } from './create-session';

export async function getSessionAccount(token: string | undefined) {
  if (!token) return null;
  const session = await accountsRepository.findSession(hashToken(token));
  if (!session || session.expiresAt < new Date()) return null;
  return session.account;
}
