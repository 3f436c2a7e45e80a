// /sign-up — create an account (email + password) with the sign-up credits; signed-in visitors go
// straight to their videos.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '../../server/env';
import { SESSION_COOKIE } from '../../server/services/accounts/create-session';
import { getSessionAccount } from '../../server/services/accounts/get-session-account';
import { AuthForm } from '../_components/auth-form';
import { AuthShell } from '../_components/auth-shell';

export const metadata: Metadata = { title: 'Create an account — Reframe' };

export default async function SignUpPage() {
  if (await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value)) redirect('/');
  const credits = env.SIGNUP_CREDITS;
  return (
    <AuthShell
      title="Create your account"
      intro={
        credits > 0
          ? `Start with ${credits} free credits — ${credits} seconds of reframed video. No card needed.`
          : 'Get an API key and start reframing video.'
      }
      switchPrompt="Already have an account?"
      switchHref="/sign-in"
      switchLabel="Sign in"
    >
      <AuthForm mode="sign-up" />
    </AuthShell>
  );
}
