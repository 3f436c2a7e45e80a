'use client';
// The video page: the source player with face boxes and, once a reframe exists, the vertical output
// beside it — played and sought together — then the analysis timeline; on the side, the analyses,
// the reframe settings and the downloads. Polls the video every 1.5 s while a step runs, and loads
// each analysis result once its step has completed.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { AnalysisTimeline, type Diarization, type Faces, type Scenes, type Speakers, type Transcript } from './analysis-timeline';
import { CropPathEditor } from './crop-path-editor';
import { FaceOverlay } from './face-overlay';
import { StatusBadge } from './status-badge';
import { StepList } from './step-list';
import { errorMessage, isUnauthorized } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { AnalysesPanel, DownloadPanel, ReframePanel } from './video-actions';
import { formatBytes, formatDuration, isLive, latestOf, type AnalysisModel } from './video-steps';

function useResult<T>(videoId: string, model: AnalysisModel, finishedAt: string | undefined): T | undefined {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { id: videoId, model_type: model };
  const query = useQuery(trpc.videos.result.queryOptions(input, { enabled: finishedAt !== undefined, staleTime: Infinity }));
  // A rerun replaces the stored result: fetch it again whenever the step completes anew.
  useEffect(() => {
    if (finishedAt) void queryClient.invalidateQueries(trpc.videos.result.queryFilter({ id: videoId, model_type: model }));
  }, [finishedAt, queryClient, trpc, videoId, model]);
  return finishedAt === undefined ? undefined : (query.data as T | undefined);
}

/**
 * Keeps the reframed player on the source's clock (offset by the rendered span's start), both ways,
 * and reports the source's time (every frame while it plays) for the overlay and the timeline. The
 * players are held in state so that the wiring follows them as they mount and unmount.
 */
function useSyncedPlayers(offset: number) {
  const [src, setSource] = useState<HTMLVideoElement | null>(null);
  const [out, setOutput] = useState<HTMLVideoElement | null>(null);
  const [time, setTime] = useState(0);

  useEffect(() => {
    if (!src) return;
    let frame = 0;
    const tick = () => {
      cancelAnimationFrame(frame);
      setTime(src.currentTime);
      if (!src.paused) frame = requestAnimationFrame(tick);
    };
    const events = ['timeupdate', 'seeked', 'play', 'pause', 'loadedmetadata'] as const;
    events.forEach((e) => src.addEventListener(e, tick));
    return () => {
      cancelAnimationFrame(frame);
      events.forEach((e) => src.removeEventListener(e, tick));
    };
  }, [src]);

  useEffect(() => {
    if (!src || !out) return;
    out.muted = true; // one soundtrack: the source's
    const near = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;
    // Seeks we make on the output must not echo back to the source (it may have moved on already).
    let echoes = 0;
    const toOut = () => {
      if (near(out.currentTime, src.currentTime - offset, 0.25)) return;
      echoes++;
      out.currentTime = Math.max(0, src.currentTime - offset);
    };
    const handlers: [HTMLVideoElement, string, () => void][] = [
      [src, 'play', () => void out.play().catch(() => undefined)],
      [src, 'pause', () => out.pause()],
      [src, 'seeked', toOut],
      [src, 'ratechange', () => (out.playbackRate = src.playbackRate)],
      [src, 'timeupdate', () => !src.paused && !near(out.currentTime, src.currentTime - offset, 0.4) && toOut()],
      [out, 'play', () => void src.play().catch(() => undefined)],
      [out, 'pause', () => src.pause()],
      [
        out,
        'seeked',
        () => {
          if (echoes > 0) return void echoes--;
          if (!near(src.currentTime, out.currentTime + offset, 0.25)) src.currentTime = out.currentTime + offset;
        },
      ],
    ];
    handlers.forEach(([el, event, fn]) => el.addEventListener(event, fn));
    toOut();
    return () => handlers.forEach(([el, event, fn]) => el.removeEventListener(event, fn));
  }, [src, out, offset]);

  const seek = useCallback(
    (t: number) => {
      const clamped = Math.max(0, Math.min(src && Number.isFinite(src.duration) ? src.duration : t, t));
      if (src) src.currentTime = clamped;
      setTime(clamped);
    },
    [src],
  );
  const seekBy = useCallback((delta: number) => seek((src?.currentTime ?? 0) + delta), [seek, src]);
  return { setSource, setOutput, time, seek, seekBy };
}

export function VideoWorkspace({ videoId }: { videoId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const video = useQuery({
    ...trpc.videos.get.queryOptions({ id: videoId }),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.steps.some(isLive) ? 1500 : false),
  });
  const steps = video.data?.steps ?? [];
  const finished = (model: AnalysisModel) => {
    const s = latestOf(steps, `analyze:${model}`);
    return s?.status === 'completed' ? (s.finished_at ?? s.created_at) : undefined;
  };
  const scenes = useResult<Scenes>(videoId, 'scene_detection', finished('scene_detection'));
  const faces = useResult<Faces>(videoId, 'face_tracking_yolov8', finished('face_tracking_yolov8'));
  const speakers = useResult<Speakers>(videoId, 'active_speaker', finished('active_speaker'));
  const diarization = useResult<Diarization>(videoId, 'diarization', finished('diarization'));
  const transcript = useResult<Transcript>(videoId, 'transcription', finished('transcription'));

  const reframe = [latestOf(steps, 'transform:reframe'), latestOf(steps, 'transform:reframe_llm')]
    .filter((s) => s?.status === 'completed')
    .sort((a, b) => (a!.finished_at ?? '').localeCompare(b!.finished_at ?? ''))
    .at(-1);
  const outputVersion = reframe?.finished_at;
  const cropPath = useQuery(
    trpc.videos.cropPath.queryOptions({ id: videoId }, { enabled: outputVersion !== undefined, staleTime: Infinity }),
  );
  const path = (outputVersion ? cropPath.data : undefined) as
    { start?: number; output?: { width: number; height: number } } | null | undefined;
  const { setSource, setOutput, time, seek, seekBy } = useSyncedPlayers(path?.start ?? 0);

  useEffect(() => {
    if (outputVersion) void queryClient.invalidateQueries(trpc.videos.cropPath.queryFilter({ id: videoId }));
  }, [outputVersion, queryClient, trpc, videoId]);

  const signedOut = isUnauthorized(video.error);
  useEffect(() => {
    if (signedOut) router.replace('/sign-in');
  }, [signedOut, router]);

  if (video.isPending || signedOut) {
    return (
      <div className="space-y-4" aria-busy="true">
        <div className="h-8 w-64 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="aspect-video w-full max-w-3xl animate-pulse rounded-2xl bg-zinc-200 dark:bg-zinc-800" />
      </div>
    );
  }
  if (video.isError) {
    return (
      <div className="rounded-2xl border border-zinc-200 bg-white p-8 text-center dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-lg font-semibold">Video not found</h1>
        <p role="alert" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {errorMessage(video.error)}
        </p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to your videos
        </Link>
      </div>
    );
  }

  const v = video.data;
  const title = v.source.name ?? v.source.url ?? v.video_id;
  const ready = v.status === 'completed';
  const ingest = latestOf(steps, 'ingest');
  const width = v.width ?? 16;
  const height = v.height ?? 9;
  const outputAspect = path?.output ? `${path.output.width} / ${path.output.height}` : '9 / 16';

  return (
    <div>
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          href="/"
          className="rounded font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-400"
        >
          ← Videos
        </Link>
      </nav>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {[
              formatDuration(v.duration),
              v.width && v.height ? `${v.width}×${v.height}` : null,
              v.fps ? `${Math.round(v.fps * 100) / 100} fps` : null,
              v.size_bytes ? formatBytes(v.size_bytes) : null,
              v.video_codec,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
        <StatusBadge status={v.status} label={v.status === 'completed' ? 'Ingested' : undefined} />
      </div>

      {!ready && ingest ? (
        <div className="mt-6 max-w-xl rounded-2xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <StepList videoId={v.video_id} steps={[ingest]} />
        </div>
      ) : null}

      <div className="mt-6 grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          {ready ? (
            <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_auto]">
              <figure className="min-w-0">
                <div
                  className="relative mx-auto overflow-hidden rounded-xl bg-black"
                  style={{ aspectRatio: `${width} / ${height}`, maxWidth: `calc(34rem * ${width / height})` }}
                >
                  <video
                    ref={setSource}
                    src={`/media/${v.video_id}/source`}
                    poster={`/media/${v.video_id}/thumbnail`}
                    controls
                    playsInline
                    preload="auto"
                    className="absolute inset-0 h-full w-full"
                    aria-label="Source video"
                    data-testid="source-player"
                  />
                  {faces ? <FaceOverlay faces={faces} speakers={speakers} time={time} width={width} height={height} /> : null}
                </div>
                <figcaption className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
                  Source{faces ? ' · face boxes, the active speaker’s solid' : ''}
                </figcaption>
              </figure>
              <figure className="mx-auto w-full max-w-[16rem] md:w-56">
                {reframe ? (
                  <video
                    key={outputVersion}
                    ref={setOutput}
                    src={`/media/${v.video_id}/reframe?v=${encodeURIComponent(outputVersion ?? '')}`}
                    controls
                    playsInline
                    preload="auto"
                    className="w-full rounded-xl bg-black"
                    style={{ aspectRatio: outputAspect }}
                    aria-label="Reframed video"
                    data-testid="output-player"
                  />
                ) : (
                  <div
                    className="flex w-full flex-col items-center justify-center rounded-xl border-2 border-dashed border-zinc-300 p-4 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400"
                    style={{ aspectRatio: '9 / 16' }}
                  >
                    The vertical clip appears here once you reframe the video.
                  </div>
                )}
                <figcaption className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
                  Reframed{reframe ? ' · plays in sync' : ''}
                </figcaption>
              </figure>
            </div>
          ) : null}

          {ready ? (
            <AnalysisTimeline
              duration={v.duration ?? 0}
              time={time}
              onSeek={seek}
              onSeekBy={seekBy}
              scenes={scenes}
              faces={faces}
              speakers={speakers}
              diarization={diarization}
              transcript={transcript}
            />
          ) : null}

          {ready && outputVersion && cropPath.data ? (
            <CropPathEditor
              videoId={v.video_id}
              path={cropPath.data}
              time={time}
              onSeek={seek}
              width={width}
              height={height}
              faces={faces}
            />
          ) : null}
        </div>

        {ready ? (
          <aside className="space-y-6" aria-label="Actions">
            <AnalysesPanel videoId={v.video_id} steps={steps} ready={ready} />
            <ReframePanel videoId={v.video_id} steps={steps} ready={ready} duration={v.duration} />
            <DownloadPanel videoId={v.video_id} cost={v.credits_required ?? 0} paid={v.paid} hasOutput={reframe !== undefined} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
