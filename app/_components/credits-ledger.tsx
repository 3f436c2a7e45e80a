'use client';
// The body of /credits: the balance card and the ledger as a table — when, which video, how many
// seconds, the amount (+ granted, − charged) and why. Fed by account.ledger over tRPC.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { LedgerEntryView } from '../../server/contracts/api';
import { CreditsCard } from './credits-card';
import { formatDateTime } from './format-time';
import { errorMessage, isUnauthorized } from './trpc-errors';
import { useTRPC } from './trpc-provider';

const numberFormat = new Intl.NumberFormat();
const COLUMN = 'px-3 py-3 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400';

const REASONS: Record<string, string> = {
  signup_grant: 'Sign-up credits',
  video_download: 'Video download',
  reframe_job: 'One-shot reframe job',
};
const reasonText = (e: LedgerEntryView) => REASONS[e.reason] ?? e.reason.replace(/_/g, ' ');

export function CreditsLedger() {
  const trpc = useTRPC();
  const router = useRouter();
  const ledger = useQuery(trpc.account.ledger.queryOptions());
  const signedOut = isUnauthorized(ledger.error);
  useEffect(() => {
    if (signedOut) router.replace('/sign-in');
  }, [signedOut, router]);
  const entries = ledger.data?.ledger ?? [];

  return (
    <div className="grid gap-6 lg:grid-cols-[20rem_minmax(0,1fr)] lg:items-start">
      <CreditsCard summary={ledger.data ? { ...ledger.data, ledger: [] } : undefined} failed={ledger.isError && !signedOut} />
      <section
        aria-labelledby="ledger-heading"
        className="overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="border-b border-zinc-200 px-4 py-4 sm:px-6 dark:border-zinc-800">
          <h2 id="ledger-heading" className="text-base font-semibold">
            Ledger
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every grant and charge, newest first. The balance is their sum.</p>
        </div>
        {ledger.isPending ? (
          <div className="h-24 animate-pulse bg-zinc-50 dark:bg-zinc-900" aria-hidden="true" />
        ) : ledger.isError ? (
          <p role="alert" className="px-4 py-6 text-sm text-red-600 sm:px-6 dark:text-red-400">
            {errorMessage(ledger.error)}
          </p>
        ) : entries.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">No credit activity yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="ledger">
              <caption className="sr-only">Credit ledger</caption>
              <thead className="bg-zinc-50 dark:bg-zinc-950/40">
                <tr>
                  <th scope="col" className={`${COLUMN} pl-4 sm:pl-6`}>
                    Date
                  </th>
                  <th scope="col" className={COLUMN}>
                    Reason
                  </th>
                  <th scope="col" className={`${COLUMN} hidden sm:table-cell`}>
                    Video
                  </th>
                  <th scope="col" className={`${COLUMN} text-right`}>
                    Seconds
                  </th>
                  <th scope="col" className={`${COLUMN} pr-4 text-right sm:pr-6`}>
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap py-3 pl-4 pr-3 text-zinc-600 sm:pl-6 dark:text-zinc-400">
                      {formatDateTime(e.created_at)}
                    </td>
                    <td className="px-3 py-3">{reasonText(e)}</td>
                    <td className="hidden px-3 py-3 sm:table-cell">
                      {e.video_id ? (
                        <Link
                          href={`/videos/${e.video_id}`}
                          className="font-mono text-xs text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-400"
                        >
                          {e.video_id.slice(0, 14)}…
                        </Link>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums">{e.seconds ?? '—'}</td>
                    <td
                      className={`py-3 pl-3 pr-4 text-right font-medium tabular-nums sm:pr-6 ${e.amount > 0 ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-800 dark:text-zinc-200'}`}
                    >
                      {e.amount > 0 ? '+' : '−'}
                      {numberFormat.format(Math.abs(e.amount))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
