// The frame of every signed-in page: the header with the section navigation (videos, credits, API
// keys, docs), the account's email and sign out, then the page's main content and the footer.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from './sign-out-button';
import { SiteFooter } from './site-footer';
import { SiteHeader } from './site-header';

const SECTIONS = [
  { href: '/', label: 'Videos', id: 'videos' },
  { href: '/credits', label: 'Credits', id: 'credits' },
  { href: '/keys', label: 'API keys', id: 'keys' },
  { href: '/docs', label: 'API docs', id: 'docs' },
] as const;

export type Section = (typeof SECTIONS)[number]['id'];

export function SectionNav({ current, wide = false }: { current?: Section | undefined; wide?: boolean }) {
  return (
    <nav aria-label="Sections" className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <ul className={`mx-auto flex ${wide ? 'max-w-7xl' : 'max-w-6xl'} gap-1 overflow-x-auto px-2 sm:px-4`}>
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <Link
              href={s.href}
              aria-current={current === s.id ? 'page' : undefined}
              className={
                'inline-flex h-11 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 ' +
                (current === s.id
                  ? 'border-indigo-600 text-zinc-950 dark:border-indigo-400 dark:text-white'
                  : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-700 dark:hover:text-zinc-100')
              }
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface DashboardShellProps {
  email: string;
  current?: Section;
  wide?: boolean;
  children: ReactNode;
}

export function DashboardShell({ email, current, wide = false, children }: DashboardShellProps) {
  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 dark:bg-zinc-950">
      <SiteHeader wide={wide}>
        <span className="hidden max-w-[16rem] truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400" title={email}>
          {email}
        </span>
        <SignOutButton />
      </SiteHeader>
      <SectionNav current={current} wide={wide} />
      <main id="main" className={`mx-auto w-full ${wide ? 'max-w-7xl' : 'max-w-6xl'} flex-1 px-4 py-8 sm:px-6 sm:py-10`}>
        {children}
      </main>
      <SiteFooter wide={wide} />
    </div>
  );
}
