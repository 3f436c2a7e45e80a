// Checks email + password and opens a session; one vague error for unknown email or wrong password.
import { AppError } from '../../contracts/errors';
import { accountsRepository } from '../../repositories/accounts.repository';
import { Credentials } from './credentials';
import { verifyPassword } from './password';
import { createSession } from './create-session';

export async function signIn(input: { email: string; password: string }) {
  const { email, password } = Credentials.parse(input);
  const account = await accountsRepository.findByEmail(email);
  const ok = account?.passwordHash ? await verifyPassword(password, account.passwordHash) : false;
  if (!account || !ok) throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  return { account, session: await createSession(account.id) };
}
