// /keys — the signed-in account's API keys and credits. Signed-out visitors are sent to /sign-in;
// the page itself is a client dashboard fed over tRPC.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from '../../../server/services/accounts/create-session';
import { getSessionAccount } from '../../../server/services/accounts/get-session-account';
import { KeysDashboard } from '../../_components/keys-dashboard';
import { SignOutButton } from '../../_components/sign-out-button';
import { SiteFooter } from '../../_components/site-footer';
import { SiteHeader } from '../../_components/site-header';

export const metadata: Metadata = { title: 'API keys — Reframe' };

export default async function KeysPage() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  if (!account) redirect('/sign-in');
  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 dark:bg-zinc-950">
      <SiteHeader>
        <span className="hidden max-w-[16rem] truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400" title={account.email}>
          {account.email}
        </span>
        <SignOutButton />
      </SiteHeader>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-10 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Keys let your scripts and services use the Reframe API on your account’s credits.
        </p>
        <div className="mt-8">
          <KeysDashboard />
        </div>
      </main>
      <SiteFooter />
    </div>
  );
}
