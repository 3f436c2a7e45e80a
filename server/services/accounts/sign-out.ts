// Ends a browser session.
import { accountsRepository } from '../../repositories/accounts.repository';
import { hashToken } from './create-session';

export async function signOut(token: string | undefined) {
  if (token) await accountsRepository.deleteSession(hashToken(token));
}
