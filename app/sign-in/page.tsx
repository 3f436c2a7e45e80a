// /sign-in — email + password sign-in for the dashboard; signed-in visitors go straight to their videos.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from '../../server/services/accounts/create-session';
import { getSessionAccount } from '../../server/services/accounts/get-session-account';
import { AuthForm } from '../_components/auth-form';
import { AuthShell } from '../_components/auth-shell';

export const metadata: Metadata = { title: 'Sign in — Reframe' };

export default async function SignInPage() {
  if (await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value)) redirect('/');
  return (
    <AuthShell
      title="Welcome back"
      intro="Sign in to your videos, API keys and credits."
      switchPrompt="New to Reframe?"
      switchHref="/sign-up"
      switchLabel="Create an account"
    >
      <AuthForm mode="sign-in" />
    </AuthShell>
  );
}
