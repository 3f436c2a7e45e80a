// The top bar of every page: a skip link for keyboard users, the wordmark (home), and whatever
// account actions the page passes in (sign in / sign up, or the signed-in email and sign out).
import Link from 'next/link';
import type { ReactNode } from 'react';

export function LogoMark({ className = 'h-7 w-7' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect x="1.5" y="7.5" width="29" height="17" rx="3.5" className="fill-none stroke-zinc-400 dark:stroke-zinc-500" strokeWidth="2" />
      <rect x="11" y="3" width="10" height="26" rx="2.5" className="fill-indigo-600 dark:fill-indigo-500" />
      <circle cx="16" cy="13" r="2.6" className="fill-white" />
      <path d="M12.8 21.5c0-2 1.5-3.4 3.2-3.4s3.2 1.4 3.2 3.4" className="fill-white" />
    </svg>
  );
}

export function SiteHeader({ children, wide = false }: { children?: ReactNode; wide?: boolean }) {
  return (
    <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <a
        href="#main"
        className="sr-only rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50"
      >
        Skip to content
      </a>
      <div className={`mx-auto flex h-16 ${wide ? 'max-w-7xl' : 'max-w-6xl'} items-center justify-between gap-4 px-4 sm:px-6`}>
        <Link
          href="/"
          className="flex items-center gap-2.5 rounded-md text-lg font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <LogoMark />
          Reframe
        </Link>
        {children ? (
          <nav aria-label="Account" className="flex items-center gap-2 sm:gap-3">
            {children}
          </nav>
        ) : null}
      </div>
    </header>
  );
}
