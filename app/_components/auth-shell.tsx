// The frame of the sign-in and sign-up pages: header with a link to the other page, a centred card
// with a title and a line of context, and the form inside it.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from './button';
import { SiteHeader } from './site-header';

interface AuthShellProps {
  title: string;
  intro: ReactNode;
  children: ReactNode;
  /** The other page: "Already have an account?" → Sign in. */
  switchPrompt: string;
  switchHref: '/sign-in' | '/sign-up';
  switchLabel: string;
}

export function AuthShell({ title, intro, children, switchPrompt, switchHref, switchLabel }: AuthShellProps) {
  return (
    <div className="relative flex min-h-screen flex-col overflow-hidden">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-[32rem] bg-[radial-gradient(ellipse_at_top,var(--color-indigo-100),transparent_65%)] dark:bg-[radial-gradient(ellipse_at_top,color-mix(in_oklab,var(--color-indigo-500)_18%,transparent),transparent_65%)]"
      />
      <SiteHeader>
        <Link href={switchHref} className={buttonClasses('ghost')}>
          {switchLabel}
        </Link>
      </SiteHeader>
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">
        <div className="w-full max-w-sm">
          <h1 className="text-center text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-2 text-center text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
          <div className="mt-8 rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
            {children}
          </div>
          <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
            {switchPrompt}{' '}
            <Link
              href={switchHref}
              className="rounded font-medium text-indigo-600 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-400"
            >
              {switchLabel}
            </Link>
          </p>
        </div>
      </main>
    </div>
  );
}
