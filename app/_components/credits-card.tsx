// The balance panel of /keys: credits left, what a credit buys, and the latest ledger entries.
// Fed by account.summary (balance + ledger); renders a placeholder while it loads.
import type { LedgerEntryView } from '../../server/contracts/api';
import { formatDate } from './format-time';

const numberFormat = new Intl.NumberFormat();

function describe(entry: LedgerEntryView): string {
  if (entry.reason === 'signup_grant') return 'Sign-up credits';
  if (entry.reason === 'video_download') return entry.seconds !== null ? `Video download · ${entry.seconds} s` : 'Video download';
  return entry.reason;
}

interface CreditsCardProps {
  summary: { balance: number; ledger: LedgerEntryView[] } | undefined;
  failed: boolean;
}

export function CreditsCard({ summary, failed }: CreditsCardProps) {
  const minutes = summary ? Math.floor(summary.balance / 60) : 0;
  return (
    <section
      aria-labelledby="credits-heading"
      className="flex flex-col rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="credits-heading" className="text-sm font-medium text-zinc-600 dark:text-zinc-400">
        Credit balance
      </h2>
      {summary ? (
        <>
          <p className="mt-2 flex items-baseline gap-2">
            <span data-testid="balance" className="text-4xl font-semibold tracking-tight tabular-nums">
              {numberFormat.format(summary.balance)}
            </span>
            <span className="text-sm text-zinc-600 dark:text-zinc-400">credits</span>
          </p>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            {minutes > 0 ? `About ${minutes} min of video. ` : ''}1 credit per second of video, charged once when you first download a
            result.
          </p>
          {summary.ledger.length > 0 ? (
            <div className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Recent activity</h3>
              <ul className="mt-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
                {summary.ledger.slice(0, 4).map((entry) => (
                  <li key={entry.id} className="flex items-center justify-between gap-3 py-2">
                    <span className="min-w-0 truncate">
                      {describe(entry)}
                      <span className="ml-2 text-zinc-500 dark:text-zinc-400">{formatDate(entry.created_at)}</span>
                    </span>
                    <span
                      className={`shrink-0 font-medium tabular-nums ${entry.amount > 0 ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-700 dark:text-zinc-300'}`}
                    >
                      {entry.amount > 0 ? '+' : '−'}
                      {numberFormat.format(Math.abs(entry.amount))}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      ) : failed ? (
        <p className="mt-2 text-sm text-red-600 dark:text-red-400">The balance could not be loaded. Reload the page to try again.</p>
      ) : (
        <div className="mt-3 space-y-3" aria-hidden="true">
          <div className="h-9 w-32 animate-pulse rounded-md bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-4 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/70" />
        </div>
      )}
    </section>
  );
}
