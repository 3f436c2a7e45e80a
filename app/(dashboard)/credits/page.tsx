// /credits — the balance and the whole recent ledger (date, video, seconds, amount, reason).
// Signed-out visitors are sent to /sign-in; the table is a client component fed over tRPC.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from '../../../server/services/accounts/create-session';
import { getSessionAccount } from '../../../server/services/accounts/get-session-account';
import { CreditsLedger } from '../../_components/credits-ledger';
import { DashboardShell } from '../../_components/dashboard-shell';

export const metadata: Metadata = { title: 'Credits — Reframe' };

export default async function CreditsPage() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  if (!account) redirect('/sign-in');
  return (
    <DashboardShell email={account.email} current="credits">
      <h1 className="text-2xl font-semibold tracking-tight">Credits</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        One credit per second of source video, charged once per video when you first download one of its outputs.
      </p>
      <div className="mt-8">
        <CreditsLedger />
      </div>
    </DashboardShell>
  );
}
