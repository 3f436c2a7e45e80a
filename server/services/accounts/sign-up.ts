// Creates an account from email + password with the sign-up credit grant, and opens a session.
import { AppError } from '../../contracts/errors';
import { env } from '../../env';
import { isUniqueViolation } from '../../db';
import { createAccountWithGrant } from '../../repositories/accounts.repository';
import { Credentials } from './credentials';
import { hashPassword } from './password';
import { createSession } from './create-session';

export async function signUp(input: { email: string; password: string }) {
  const { email, password } = Credentials.parse(input);
  try {
    const account = await createAccountWithGrant(email, await hashPassword(password), env.SIGNUP_CREDITS);
    return { account, session: await createSession(account.id) };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'An account with this email already exists. Sign in instead.');
    throw error;
  }
}
