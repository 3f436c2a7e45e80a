// /keys — the signed-in account's API keys and credits. Signed-out visitors are sent to /sign-in;
// the page itself is a client dashboard fed over tRPC.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from '../../../server/services/accounts/create-session';
import { getSessionAccount } from '../../../server/services/accounts/get-session-account';
import { DashboardShell } from '../../_components/dashboard-shell';
import { KeysDashboard } from '../../_components/keys-dashboard';

export const metadata: Metadata = { title: 'API keys — Reframe' };

export default async function KeysPage() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  if (!account) redirect('/sign-in');
  return (
    <DashboardShell email={account.email} current="keys">
      <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Keys let your scripts and services use the Reframe API on your account’s credits.
      </p>
      <div className="mt-8">
        <KeysDashboard />
      </div>
    </DashboardShell>
  );
}
