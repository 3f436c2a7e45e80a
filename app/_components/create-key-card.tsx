'use client';
// Creates an API key from a name and shows its full secret once, with a Copy button and a plain
// warning that it will not be shown again. Feeds the new key's id to the list through `onCreated`.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from './button';
import { CopyButton } from './copy-button';
import { inputClasses, TextField } from './text-field';
import { errorMessage, fieldError } from './trpc-errors';
import { useTRPC } from './trpc-provider';

export interface CreatedKey {
  id: string;
  name: string;
  secret: string;
}

interface CreateKeyCardProps {
  created: CreatedKey | null;
  onCreated: (key: CreatedKey) => void;
  onDismiss: () => void;
}

export function CreateKeyCard({ created, onCreated, onDismiss }: CreateKeyCardProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [nameError, setNameError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const revealHeading = useRef<HTMLHeadingElement>(null);
  const create = useMutation(trpc.keys.create.mutationOptions());

  // Screen-reader and keyboard users land on the one-time secret as soon as it appears.
  useEffect(() => {
    if (created) revealHeading.current?.focus();
  }, [created]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    setNameError(undefined);
    setFormError(undefined);
    create.mutate(
      { name },
      {
        onSuccess: ({ key, secret }) => {
          form.reset();
          onCreated({ id: key.id, name: key.name, secret });
          void queryClient.invalidateQueries(trpc.keys.list.queryFilter());
        },
        onError: (error) => {
          const problem = fieldError(error, 'name');
          if (problem) setNameError(problem);
          else setFormError(errorMessage(error));
        },
      },
    );
  }

  return (
    <section
      aria-labelledby="create-heading"
      className="rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm lg:col-span-2 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="create-heading" className="text-base font-semibold">
        Create a key
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Name it after where it will be used, so you know which one to revoke later.
      </p>
      <form noValidate onSubmit={onSubmit} className="mt-5 flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField
          label="Key name"
          name="name"
          placeholder="e.g. ci, laptop, zapier"
          autoComplete="off"
          maxLength={80}
          required
          error={nameError}
          className="flex-1"
        />
        <Button type="submit" disabled={create.isPending} className="sm:mt-[26px]">
          {create.isPending ? 'Creating…' : 'Create key'}
        </Button>
      </form>
      {formError ? (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {formError}
        </p>
      ) : null}

      {created ? (
        <div
          role="region"
          aria-labelledby="new-key-heading"
          className="mt-6 rounded-xl border border-emerald-300 bg-emerald-50 p-4 sm:p-5 dark:border-emerald-800/70 dark:bg-emerald-950/40"
        >
          <h3
            id="new-key-heading"
            ref={revealHeading}
            tabIndex={-1}
            className="flex items-center gap-2 text-sm font-semibold text-emerald-900 focus:outline-none dark:text-emerald-200"
          >
            <svg viewBox="0 0 20 20" className="h-5 w-5 shrink-0" fill="currentColor" aria-hidden="true">
              <path
                fillRule="evenodd"
                d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.7-9.3a1 1 0 0 0-1.4-1.4L9 10.6 7.7 9.3a1 1 0 0 0-1.4 1.4l2 2a1 1 0 0 0 1.4 0l4-4Z"
                clipRule="evenodd"
              />
            </svg>
            Key “{created.name}” created
          </h3>
          <p className="mt-1 text-sm text-emerald-900/80 dark:text-emerald-200/80">
            Copy it now and store it somewhere safe. <strong className="font-semibold">It will not be shown again.</strong>
          </p>
          <div className="mt-3 flex flex-col gap-2 sm:flex-row">
            <input
              readOnly
              value={created.secret}
              aria-label="Your new API key"
              data-testid="new-key-secret"
              onFocus={(e) => e.currentTarget.select()}
              className={inputClasses(false, 'min-w-0 font-mono text-[13px] tracking-tight sm:flex-1')}
            />
            <CopyButton text={created.secret} what="API key" />
          </div>
          <Button variant="secondary" size="sm" className="mt-4" onClick={onDismiss}>
            I have saved it
          </Button>
        </div>
      ) : null}
    </section>
  );
}
