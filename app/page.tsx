// / — for a signed-in account, the videos dashboard (upload, list, live progress); for visitors, the
// product page: what the service does, how a video moves through it, and a first API call.
import Link from 'next/link';
import { cookies, headers } from 'next/headers';
import { env } from '../server/env';
import { SESSION_COOKIE } from '../server/services/accounts/create-session';
import { getSessionAccount } from '../server/services/accounts/get-session-account';
import { buttonClasses } from './_components/button';
import { CodeBlock } from './_components/code-block';
import { DashboardShell } from './_components/dashboard-shell';
import { ReframeIllustration } from './_components/reframe-illustration';
import { SiteFooter } from './_components/site-footer';
import { SiteHeader } from './_components/site-header';
import { VideosDashboard } from './_components/videos-dashboard';

const STEPS = [
  { title: 'Ingest', body: 'Send a video URL or upload a file. It is probed with ffprobe and stored on your own disk.' },
  { title: 'Analyze', body: 'Scene cuts, face tracking, who is speaking (lips against audio), transcription and diarization.' },
  { title: 'Reframe', body: 'A smoothed virtual camera keeps the speaker in a 9:16 frame, shot by shot, without jitter.' },
  { title: 'Download', body: 'A vertical MP4 plus the crop path as JSON. 1 credit per second of video, charged once.' },
];

/** The address visitors reached us on, so the example can be pasted as is (proxies set x-forwarded-*). */
async function publicBaseUrl(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? `localhost:${env.PORT}`;
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}

export default async function Home() {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  if (account) {
    return (
      <DashboardShell email={account.email} current="videos">
        <h1 className="text-2xl font-semibold tracking-tight">Videos</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Upload a landscape video, let it be analysed, and reframe it into a vertical clip that follows the speaker.
        </p>
        <div className="mt-8">
          <VideosDashboard maxBytes={env.MAX_UPLOAD_BYTES} />
        </div>
      </DashboardShell>
    );
  }
  const base = await publicBaseUrl();
  const ingest = [
    `curl -X POST ${base}/api/v2/ingest \\`,
    '  -H "Authorization: Bearer $REFRAME_API_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '{"url": "https://example.com/interview.mp4"}'`,
    '',
    '# → 202 {"video_id": "…"}   (or upload a file: -F file=@interview.mp4)',
  ].join('\n');
  const reframe = [
    `curl -X POST ${base}/api/v2/transform \\`,
    '  -H "Authorization: Bearer $REFRAME_API_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '{"video_id": "VIDEO_ID", "transform_type": "reframe"}'`,
    '',
    `curl ${base}/api/v2/status/VIDEO_ID \\`,
    '  -H "Authorization: Bearer $REFRAME_API_KEY"   # → result_url when done',
  ].join('\n');

  return (
    <div className="flex min-h-screen flex-col">
      <SiteHeader>
        <Link href="/docs" className={buttonClasses('ghost', 'sm', 'hidden sm:inline-flex')}>
          API docs
        </Link>
        <Link href="/sign-in" className={buttonClasses('ghost', 'sm')}>
          Sign in
        </Link>
        <Link href="/sign-up" className={buttonClasses('primary', 'sm')}>
          Sign up
        </Link>
      </SiteHeader>

      <main id="main" className="flex-1">
        <section className="relative overflow-hidden">
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-[36rem] bg-[radial-gradient(ellipse_at_top,var(--color-indigo-100),transparent_65%)] dark:bg-[radial-gradient(ellipse_at_top,color-mix(in_oklab,var(--color-indigo-500)_16%,transparent),transparent_65%)]"
          />
          <div className="mx-auto grid max-w-6xl items-center gap-12 px-4 pb-16 pt-14 sm:px-6 sm:pt-20 lg:grid-cols-[1fr_1.05fr] lg:pb-24">
            <div>
              <p className="inline-flex items-center gap-2 rounded-full border border-indigo-200 bg-white/70 px-3 py-1 text-xs font-medium text-indigo-700 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-300">
                Self-hosted · open source · one HTTP API
              </p>
              <h1 className="mt-5 text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
                Landscape talks in, vertical clips out — framed on whoever is speaking.
              </h1>
              <p className="mt-5 max-w-xl text-lg text-pretty text-zinc-600 dark:text-zinc-400">
                Reframe turns interviews, podcasts and talks into 9:16 video for Shorts, Reels and TikTok. It finds the faces, works out who
                is talking and moves a smooth virtual camera with them — on your own server.
              </p>
              <div className="mt-8 flex flex-wrap gap-3">
                <Link href="/sign-up" className={buttonClasses('primary', 'lg')}>
                  Create an account
                </Link>
                <Link href="/sign-in" className={buttonClasses('secondary', 'lg')}>
                  Sign in
                </Link>
              </div>
              {env.SIGNUP_CREDITS > 0 ? (
                <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">
                  New accounts start with {env.SIGNUP_CREDITS} free credits — {env.SIGNUP_CREDITS} seconds of video.
                </p>
              ) : null}
            </div>
            <div className="rounded-3xl border border-zinc-200 bg-white/60 p-4 shadow-xl shadow-indigo-950/5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900/60">
              <ReframeIllustration />
            </div>
          </div>
        </section>

        <section
          aria-labelledby="how-heading"
          className="border-t border-zinc-200 bg-zinc-50 py-16 dark:border-zinc-800 dark:bg-zinc-900/40"
        >
          <div className="mx-auto max-w-6xl px-4 sm:px-6">
            <h2 id="how-heading" className="text-2xl font-semibold tracking-tight">
              How a video moves through it
            </h2>
            <ol className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {STEPS.map((step, i) => (
                <li key={step.title} className="rounded-2xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
                  <span className="flex h-8 w-8 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white dark:bg-indigo-500">
                    {i + 1}
                  </span>
                  <h3 className="mt-4 font-semibold">{step.title}</h3>
                  <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">{step.body}</p>
                </li>
              ))}
            </ol>
          </div>
        </section>

        <section aria-labelledby="api-heading" className="py-16">
          <div className="mx-auto grid max-w-6xl gap-10 px-4 sm:px-6 lg:grid-cols-[2fr_3fr]">
            <div>
              <h2 id="api-heading" className="text-2xl font-semibold tracking-tight">
                Start with one request
              </h2>
              <p className="mt-3 text-zinc-600 dark:text-zinc-400">
                Create an API key, then send a video. Every step is its own call with its own status, so you can run only the analysis you
                need or go straight to the reframe.
              </p>
              <ul className="mt-6 space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
                <li>
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">Auth:</span>{' '}
                  <code className="font-mono text-[13px]">Authorization: Bearer sk-…</code>
                </li>
                <li>
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">Errors:</span>{' '}
                  <code className="font-mono text-[13px]">{'{ "error": { "code", "message" } }'}</code>
                </li>
                <li>
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">Reference:</span>{' '}
                  <a
                    href="/api/v2/openapi.json"
                    className="rounded font-medium text-indigo-600 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-400"
                  >
                    OpenAPI document
                  </a>
                </li>
              </ul>
              <Link href="/sign-up" className={buttonClasses('secondary', 'md', 'mt-8')}>
                Get an API key
              </Link>
            </div>
            <div className="min-w-0 space-y-4">
              <CodeBlock title="1 · Ingest a video" code={ingest} />
              <CodeBlock title="2 · Reframe it and poll" code={reframe} />
            </div>
          </div>
        </section>
      </main>
      <SiteFooter />
    </div>
  );
}
