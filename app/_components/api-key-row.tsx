'use client';
// One row of the keys table: name (renamed inline: Enter saves, Escape cancels), prefix, dates and
// status, plus Rename / Revoke actions. Revoking is confirmed by the dashboard, not here.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiKeyView } from '../../server/services/keys/api-key-view';
import { Button } from './button';
import { formatAgo, formatDate, formatDateTime } from './format-time';
import { inputClasses } from './text-field';
import { errorMessage, fieldError } from './trpc-errors';
import { useTRPC } from './trpc-provider';

function StatusBadge({ revokedAt }: { revokedAt: string | null }) {
  if (revokedAt) {
    return (
      <span
        title={`Revoked ${formatDateTime(revokedAt)}`}
        className="inline-flex items-center gap-1.5 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"
      >
        <span className="h-1.5 w-1.5 rounded-full bg-zinc-400" aria-hidden="true" />
        Revoked
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-600/20 ring-inset dark:bg-emerald-950/60 dark:text-emerald-400 dark:ring-emerald-400/20">
      <span className="h-1.5 w-1.5 rounded-full bg-emerald-500" aria-hidden="true" />
      Active
    </span>
  );
}

interface ApiKeyRowProps {
  apiKey: ApiKeyView;
  onRevoke: (key: ApiKeyView) => void;
}

export function ApiKeyRow({ apiKey, onRevoke }: ApiKeyRowProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const renameButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const errorId = useId();
  const rename = useMutation(trpc.keys.rename.mutationOptions());
  const revoked = apiKey.revokedAt !== null;

  // Keyboard users continue from the Rename button, not from the top of the page.
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      renameButton.current?.focus();
    }
  }, [editing]);

  function stopEditing() {
    returnFocus.current = true;
    setError(undefined);
    setEditing(false);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    if (name.trim() === apiKey.name) return stopEditing();
    rename.mutate(
      { id: apiKey.id, name },
      {
        onSuccess: async () => {
          await queryClient.invalidateQueries(trpc.keys.list.queryFilter());
          stopEditing();
        },
        onError: (e) => setError(fieldError(e, 'name') ?? errorMessage(e)),
      },
    );
  }

  return (
    <tr className={revoked ? 'text-zinc-500 dark:text-zinc-500' : undefined}>
      <td className="py-3.5 pl-4 pr-3 align-middle sm:pl-6">
        {editing ? (
          <form noValidate onSubmit={onSubmit}>
            <div className="flex flex-wrap items-center gap-2">
              <input
                name="name"
                defaultValue={apiKey.name}
                aria-label={`New name for ${apiKey.name}`}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                maxLength={80}
                autoFocus
                onFocus={(e) => e.currentTarget.select()}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') stopEditing();
                }}
                className={inputClasses(Boolean(error), 'h-8 min-w-0 sm:w-48')}
              />
              <Button type="submit" size="sm" disabled={rename.isPending}>
                {rename.isPending ? 'Saving…' : 'Save'}
              </Button>
              <Button variant="ghost" size="sm" onClick={stopEditing}>
                Cancel
              </Button>
            </div>
            {error ? (
              <p id={errorId} className="mt-1.5 text-xs text-red-600 dark:text-red-400">
                {error}
              </p>
            ) : null}
          </form>
        ) : (
          <>
            <span className={`font-medium break-words ${revoked ? '' : 'text-zinc-900 dark:text-zinc-100'}`}>{apiKey.name}</span>
            <span className="mt-1 flex items-center gap-2 sm:hidden">
              <span className="font-mono text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">{apiKey.prefix}…</span>
              <StatusBadge revokedAt={apiKey.revokedAt} />
            </span>
          </>
        )}
      </td>
      <td className="hidden px-3 py-3.5 sm:table-cell">
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {apiKey.prefix}…
        </code>
      </td>
      <td className="hidden px-3 py-3.5 whitespace-nowrap md:table-cell">
        <time dateTime={apiKey.createdAt} title={formatDateTime(apiKey.createdAt)}>
          {formatDate(apiKey.createdAt)}
        </time>
      </td>
      <td className="hidden px-3 py-3.5 whitespace-nowrap md:table-cell">
        {apiKey.lastUsedAt ? (
          <time dateTime={apiKey.lastUsedAt} title={formatDateTime(apiKey.lastUsedAt)}>
            {formatAgo(apiKey.lastUsedAt)}
          </time>
        ) : (
          <span className="text-zinc-400 dark:text-zinc-500">Never</span>
        )}
      </td>
      <td className="hidden px-3 py-3.5 whitespace-nowrap sm:table-cell">
        <StatusBadge revokedAt={apiKey.revokedAt} />
      </td>
      <td className="py-3.5 pl-3 pr-4 text-right whitespace-nowrap sm:pr-6">
        {!revoked && !editing ? (
          <div className="flex justify-end gap-1">
            <Button ref={renameButton} variant="ghost" size="sm" onClick={() => setEditing(true)} aria-label={`Rename ${apiKey.name}`}>
              Rename
            </Button>
            <Button variant="ghost-danger" size="sm" onClick={() => onRevoke(apiKey)} aria-label={`Revoke ${apiKey.name}`}>
              Revoke
            </Button>
          </div>
        ) : null}
      </td>
    </tr>
  );
}
