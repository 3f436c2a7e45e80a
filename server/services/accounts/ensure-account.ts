// Finds an account by email or creates it (without a password, with its sign-up credits) — for the
// admin CLI of headless installs.
import { env } from '../../env';
import { isUniqueViolation } from '../../db';
import { accountsRepository, createAccountWithGrant } from '../../repositories/accounts.repository';
import { Credentials } from './credentials';

export async function ensureAccount(rawEmail: string) {
  const email = Credentials.shape.email.parse(rawEmail);
  const existing = await accountsRepository.findByEmail(email);
  if (existing) return { account: existing, created: false };
  try {
    return { account: await createAccountWithGrant(email, null, env.SIGNUP_CREDITS), created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { account: (await accountsRepository.findByEmail(email))!, created: false };
  }
}
