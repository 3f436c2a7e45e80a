'use client';
// The signed-in home page: "add a video" beside the list of the account's videos — thumbnail, name,
// duration, status, live progress of running steps, failed steps with retry. The list polls every
// 1.5 s while any step is queued or running, so nobody has to reload.
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { VideoView } from '../../server/contracts/api';
import { Button } from './button';
import { formatAgo } from './format-time';
import { NewVideoCard } from './new-video-card';
import { StatusBadge } from './status-badge';
import { StepList } from './step-list';
import { errorMessage, isUnauthorized } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { formatDuration, isLive, latestOf, latestSteps } from './video-steps';

export const videoTitle = (v: VideoView) => v.source.name ?? v.source.url?.split('/').pop() ?? v.video_id;

function Thumbnail({ video }: { video: VideoView }) {
  const ready = video.status === 'completed';
  return (
    <div className="relative aspect-video w-full shrink-0 overflow-hidden rounded-lg bg-zinc-200 sm:w-44 dark:bg-zinc-800">
      {ready ? (
        <img src={`/media/${video.video_id}/thumbnail`} alt="" className="h-full w-full object-cover" loading="lazy" />
      ) : (
        <div className="flex h-full w-full items-center justify-center text-zinc-400 dark:text-zinc-600" aria-hidden="true">
          <svg viewBox="0 0 24 24" className="h-8 w-8" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <path d="m10 9 5 3-5 3z" fill="currentColor" />
          </svg>
        </div>
      )}
      {video.duration !== null ? (
        <span className="absolute bottom-1.5 right-1.5 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white">
          {formatDuration(video.duration)}
        </span>
      ) : null}
    </div>
  );
}

function videoStatus(video: VideoView): { status: VideoView['status']; label: string } {
  const steps = latestSteps(video.steps);
  if (steps.some((s) => s.status === 'running')) return { status: 'running', label: 'Processing' };
  if (steps.some((s) => s.status === 'queued')) return { status: 'queued', label: 'Queued' };
  if (video.status === 'failed') return { status: 'failed', label: 'Failed' };
  if (steps.some((s) => s.status === 'failed')) return { status: 'failed', label: 'Step failed' };
  const reframed = latestOf(video.steps, 'transform:reframe') ?? latestOf(video.steps, 'transform:reframe_llm');
  if (reframed?.status === 'completed') return { status: 'completed', label: 'Reframed' };
  return { status: 'completed', label: 'Ready' };
}

function VideoRow({ video }: { video: VideoView }) {
  const title = videoTitle(video);
  const { status, label } = videoStatus(video);
  const done = latestSteps(video.steps).filter((s) => s.status === 'completed').length;
  return (
    <li className="relative flex flex-col gap-4 px-4 py-4 sm:flex-row sm:px-6">
      <Thumbnail video={video} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="truncate font-medium">
              <Link
                href={`/videos/${video.video_id}`}
                className="rounded hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:hover:text-indigo-300"
              >
                {title}
              </Link>
            </h3>
            <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
              {video.source.type === 'url' ? 'From URL' : 'Uploaded'} · {formatAgo(video.created_at)}
              {video.width && video.height ? ` · ${video.width}×${video.height}` : ''}
              {done > 0 ? ` · ${done} step${done === 1 ? '' : 's'} done` : ''}
            </p>
          </div>
          <StatusBadge status={status} label={label} />
        </div>
        <div className="mt-3 max-w-xl">
          <StepList videoId={video.video_id} steps={video.steps} compact />
        </div>
      </div>
    </li>
  );
}

function EmptyState() {
  return (
    <div className="flex flex-col items-center px-6 py-14 text-center">
      <div className="flex h-12 w-12 items-center justify-center rounded-full bg-indigo-50 dark:bg-indigo-950/60" aria-hidden="true">
        <svg
          viewBox="0 0 24 24"
          className="h-6 w-6 text-indigo-600 dark:text-indigo-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.7"
        >
          <rect x="2.5" y="6" width="19" height="12" rx="2" />
          <rect x="9" y="3" width="6" height="18" rx="1.5" />
        </svg>
      </div>
      <p className="mt-4 text-sm font-medium">No videos yet</p>
      <p className="mt-1 max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
        Upload a landscape video or paste its URL. It is checked in a few seconds; then run the analyses or go straight to a vertical
        reframe.
      </p>
    </div>
  );
}

export function VideosDashboard({ maxBytes }: { maxBytes: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const videos = useInfiniteQuery({
    ...trpc.videos.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.next_cursor ?? undefined }),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.videos.some((v) => v.steps.some(isLive))) ? 1500 : false),
  });
  const signedOut = isUnauthorized(videos.error);
  useEffect(() => {
    if (signedOut) router.replace('/sign-in');
  }, [signedOut, router]);
  const list = videos.data?.pages.flatMap((p) => p.videos) ?? [];

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_1fr] lg:items-start">
      <NewVideoCard maxBytes={maxBytes} />
      <section
        aria-labelledby="videos-heading"
        className="overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="flex items-end justify-between gap-2 border-b border-zinc-200 px-4 py-4 sm:px-6 dark:border-zinc-800">
          <h2 id="videos-heading" className="text-base font-semibold">
            Your videos
          </h2>
          {list.length > 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              {list.length}
              {videos.hasNextPage ? '+' : ''} in total
            </p>
          ) : null}
        </div>
        {videos.isPending || signedOut ? (
          <div className="space-y-4 px-4 py-6 sm:px-6" aria-hidden="true">
            {[0, 1].map((i) => (
              <div key={i} className="flex gap-4">
                <div className="aspect-video w-44 animate-pulse rounded-lg bg-zinc-200 dark:bg-zinc-800" />
                <div className="flex-1 space-y-2 pt-1">
                  <div className="h-4 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
                  <div className="h-3 w-32 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/70" />
                </div>
              </div>
            ))}
          </div>
        ) : videos.isError ? (
          <p role="alert" className="px-4 py-6 text-sm text-red-600 sm:px-6 dark:text-red-400">
            {errorMessage(videos.error)}
          </p>
        ) : list.length === 0 ? (
          <EmptyState />
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Videos">
            {list.map((v) => (
              <VideoRow key={v.video_id} video={v} />
            ))}
          </ul>
        )}
        {videos.hasNextPage ? (
          <div className="border-t border-zinc-200 px-4 py-3 text-center sm:px-6 dark:border-zinc-800">
            <Button variant="secondary" size="sm" disabled={videos.isFetchingNextPage} onClick={() => void videos.fetchNextPage()}>
              {videos.isFetchingNextPage ? 'Loading…' : 'Show older videos'}
            </Button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
