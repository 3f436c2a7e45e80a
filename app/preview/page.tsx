// /preview — drop a landscape video and see its vertical reframe play beside it within seconds, analysed
// in this browser (the file is never uploaded); export a short clip, or send it for the server render
// when signed in. Served cross-origin isolated (next.config.js) so the WASM runtime may use threads.
import type { Metadata } from 'next';
import Link from 'next/link';
import { cookies } from 'next/headers';
import { SESSION_COOKIE } from '../../server/services/accounts/create-session';
import { getSessionAccount } from '../../server/services/accounts/get-session-account';
import { buttonClasses } from '../_components/button';
import { SiteFooter } from '../_components/site-footer';
import { SiteHeader } from '../_components/site-header';
import { PreviewWorkspace } from './_components/preview-workspace';

export const metadata: Metadata = { title: 'Preview in your browser — Reframe' };

export default async function PreviewPage() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  return (
    <>
      <SiteHeader wide>
        {account ? (
          <Link href="/" className={buttonClasses('ghost', 'sm')}>
            Your videos
          </Link>
        ) : (
          <Link href="/sign-in" className={buttonClasses('ghost', 'sm')}>
            Sign in
          </Link>
        )}
      </SiteHeader>
      <main id="main" className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">Preview in your browser</h1>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Pick a landscape video: it is analysed on this device with the same scene, face, speaker and camera code as the server, and its
          reframe plays beside it while the rest is still being analysed. The file never leaves your browser until you choose to render it
          on the server.
        </p>
        <PreviewWorkspace signedIn={Boolean(account)} />
      </main>
      <SiteFooter wide />
    </>
  );
}
