'use client';
// The sign-up and sign-in form: email + password checked with the same Credentials rules as the
// server, errors shown inline next to their field (or above the form), then on to /keys on success.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Credentials } from '../../server/services/accounts/credentials';
import { Button } from './button';
import { TextField } from './text-field';
import { appCodeOf, errorMessage, fieldError } from './trpc-errors';
import { useTRPC } from './trpc-provider';

type Mode = 'sign-in' | 'sign-up';

interface Problems {
  email?: string | undefined;
  password?: string | undefined;
  form?: string | undefined;
  emailTaken?: boolean;
}

const TEXT = {
  'sign-up': {
    submit: 'Create account',
    pending: 'Creating account…',
    passwordAutoComplete: 'new-password',
    passwordHint: 'At least 8 characters.',
  },
  'sign-in': { submit: 'Sign in', pending: 'Signing in…', passwordAutoComplete: 'current-password', passwordHint: undefined },
} as const;

function fieldProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Problems {
  const first = (field: string) => issues.find((i) => i.path[0] === field)?.message;
  return { email: first('email'), password: first('password') };
}

function problemsFrom(error: unknown): Problems {
  const email = fieldError(error, 'email');
  const password = fieldError(error, 'password');
  if (email || password) return { email, password };
  return { form: errorMessage(error), emailTaken: appCodeOf(error) === 'email_taken' };
}

export function AuthForm({ mode }: { mode: Mode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const signIn = useMutation(trpc.auth.signIn.mutationOptions());
  const mutation = mode === 'sign-up' ? signUp : signIn;
  const [problems, setProblems] = useState<Problems>({});
  const text = TEXT[mode];
  // Stay busy after success too: the button must not come back while /keys is loading.
  const busy = mutation.isPending || mutation.isSuccess;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = Credentials.safeParse({ email: data.get('email') ?? '', password: data.get('password') ?? '' });
    if (!parsed.success) {
      const found = fieldProblems(parsed.error.issues);
      setProblems(found);
      form.querySelector<HTMLInputElement>(`[name="${found.email ? 'email' : 'password'}"]`)?.focus();
      return;
    }
    setProblems({});
    mutation.mutate(parsed.data, {
      onSuccess: () => {
        // Whatever a previous account left in the cache must not flash on its successor's page.
        queryClient.clear();
        router.push('/');
      },
      onError: (error) => setProblems(problemsFrom(error)),
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-busy={busy}>
      {problems.form ? (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3.5 py-3 text-sm text-red-800 dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-200"
        >
          {problems.form}
          {problems.emailTaken ? (
            <>
              {' '}
              <Link href="/sign-in" className="font-medium underline underline-offset-2 hover:no-underline">
                Go to sign in
              </Link>
            </>
          ) : null}
        </div>
      ) : null}
      <TextField
        label="Email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        placeholder="you@example.com"
        required
        error={problems.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete={text.passwordAutoComplete}
        required
        minLength={8}
        error={problems.password}
        hint={text.passwordHint}
      />
      <Button type="submit" size="lg" className="w-full" disabled={busy}>
        {busy ? text.pending : text.submit}
      </Button>
    </form>
  );
}
