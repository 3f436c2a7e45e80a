'use client';
// The body of /keys: credit balance, the create-a-key card with its one-time secret, and the list
// of keys with rename and a confirmed revoke. Talks to keys.* and account.summary over tRPC; a lost
// session sends the visitor to /sign-in.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { ApiKeyView } from '../../server/services/keys/api-key-view';
import { ApiKeyRow } from './api-key-row';
import { ConfirmDialog } from './confirm-dialog';
import { CreateKeyCard, type CreatedKey } from './create-key-card';
import { CreditsCard } from './credits-card';
import { errorMessage, isUnauthorized } from './trpc-errors';
import { useTRPC } from './trpc-provider';

const COLUMN = 'px-3 py-3 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400';

function KeysPlaceholder() {
  return (
    <div className="space-y-3 px-4 py-6 sm:px-6" aria-hidden="true">
      {[0, 1].map((i) => (
        <div key={i} className="flex items-center gap-4">
          <div className="h-4 w-28 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-4 w-24 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/70" />
          <div className="ml-auto h-4 w-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/70" />
        </div>
      ))}
    </div>
  );
}

function NoKeys() {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <div className="flex h-12 w-12 items-center justify-center rounded-full bg-indigo-50 dark:bg-indigo-950/60" aria-hidden="true">
        <svg
          viewBox="0 0 24 24"
          className="h-6 w-6 text-indigo-600 dark:text-indigo-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.7"
        >
          <circle cx="8" cy="15" r="4" />
          <path d="m10.8 12.2 8.7-8.7M16 7l2.5 2.5M18.5 4.5 21 7" strokeLinecap="round" />
        </svg>
      </div>
      <p className="mt-4 text-sm font-medium">No keys yet</p>
      <p className="mt-1 max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
        Create one above to call the API from your scripts and services.
      </p>
    </div>
  );
}

export function KeysDashboard() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.list.queryOptions());
  const summary = useQuery(trpc.account.summary.queryOptions());
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [toRevoke, setToRevoke] = useState<ApiKeyView | null>(null);
  const revoke = useMutation(trpc.keys.revoke.mutationOptions());

  const signedOut = isUnauthorized(keys.error) || isUnauthorized(summary.error);
  useEffect(() => {
    if (signedOut) router.replace('/sign-in');
  }, [signedOut, router]);

  function closeRevoke() {
    setToRevoke(null);
    revoke.reset();
  }

  function confirmRevoke() {
    if (!toRevoke) return;
    revoke.mutate(
      { id: toRevoke.id },
      {
        onSuccess: async () => {
          if (created?.id === toRevoke.id) setCreated(null);
          await queryClient.invalidateQueries(trpc.keys.list.queryFilter());
          closeRevoke();
        },
      },
    );
  }

  const list = keys.data ?? [];
  const active = list.filter((k) => !k.revokedAt).length;

  return (
    <>
      <div className="grid gap-6 lg:grid-cols-3">
        <CreditsCard summary={summary.data} failed={summary.isError && !signedOut} />
        <CreateKeyCard created={created} onCreated={setCreated} onDismiss={() => setCreated(null)} />
      </div>

      <section
        aria-labelledby="keys-heading"
        className="mt-6 overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="flex flex-wrap items-end justify-between gap-2 border-b border-zinc-200 px-4 py-4 sm:px-6 dark:border-zinc-800">
          <div>
            <h2 id="keys-heading" className="text-base font-semibold">
              Your keys
            </h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Send a key as <code className="font-mono text-[13px] text-zinc-800 dark:text-zinc-200">Authorization: Bearer sk-…</code>
            </p>
          </div>
          {keys.data && list.length > 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              {active} active · {list.length - active} revoked
            </p>
          ) : null}
        </div>
        {keys.isPending || signedOut ? (
          <KeysPlaceholder />
        ) : keys.isError ? (
          <p role="alert" className="px-4 py-6 text-sm text-red-600 sm:px-6 dark:text-red-400">
            {errorMessage(keys.error)}
          </p>
        ) : list.length === 0 ? (
          <NoKeys />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <caption className="sr-only">API keys</caption>
              <thead className="bg-zinc-50 dark:bg-zinc-950/40">
                <tr>
                  <th scope="col" className={`${COLUMN} pl-4 sm:pl-6`}>
                    Name
                  </th>
                  <th scope="col" className={`${COLUMN} hidden sm:table-cell`}>
                    Key
                  </th>
                  <th scope="col" className={`${COLUMN} hidden md:table-cell`}>
                    Created
                  </th>
                  <th scope="col" className={`${COLUMN} hidden md:table-cell`}>
                    Last used
                  </th>
                  <th scope="col" className={`${COLUMN} hidden sm:table-cell`}>
                    Status
                  </th>
                  <th scope="col" className="py-3 pl-3 pr-4 sm:pr-6">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {list.map((key) => (
                  <ApiKeyRow key={key.id} apiKey={key} onRevoke={setToRevoke} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={toRevoke !== null}
        title={`Revoke “${toRevoke?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        error={revoke.error ? errorMessage(revoke.error) : null}
        onConfirm={confirmRevoke}
        onCancel={closeRevoke}
      >
        Anything still using this key gets <strong className="font-semibold text-zinc-900 dark:text-zinc-100">401 Unauthorized</strong> from
        now on. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
