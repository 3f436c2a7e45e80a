// Opens a browser session: a random token for the cookie; only its hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import { accountsRepository } from '../../repositories/accounts.repository';

export const SESSION_COOKIE = 'reframe_session';
export const SESSION_DAYS = 30;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(accountId: string) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await accountsRepository.createSession(accountId, hashToken(token), expiresAt);
  return { token, expiresAt };
}
