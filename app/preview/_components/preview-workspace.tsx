// The preview's working area: pick or drop a video (kept as an object URL, never uploaded), the
// analysis progress and the backend that runs it, the original player with face boxes and the framed
// subject, the live crop in the chosen aspect beside it, the export panel and "Render on server".
'use client';

import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useMemo, useState, type DragEvent } from 'react';
import { detectSample, type SampleDetections } from '../../../workers/browser/detect-sample';
import type { BackendChoice } from '../../../workers/browser/protocol';
import { Button } from '../../_components/button';
import { usePreviewAnalysis } from '../use-preview-analysis';
import { CropView } from './crop-view';
import { ExportPanel } from './export-panel';
import { RenderOnServer } from './render-on-server';
import { SubjectBoxes } from './subject-boxes';

const ASPECTS = ['9:16', '1:1', '4:5', '16:9'] as const;

declare global {
  interface Window {
    __reframePreviewDetect?: (backend: BackendChoice, count: number) => Promise<SampleDetections>;
  }
}

export function PreviewWorkspace({ signedIn }: { signedIn: boolean }) {
  return (
    <Suspense>
      <Workspace signedIn={signedIn} />
    </Suspense>
  );
}

function Workspace({ signedIn }: { signedIn: boolean }) {
  const params = useSearchParams();
  const requested = params.get('backend');
  const backend: BackendChoice = requested === 'webgpu' || requested === 'wasm' ? requested : 'auto';
  // `?threads=N` gives onnxruntime-web N WASM threads (the page is cross-origin isolated); default 1.
  const threads = Number(params.get('threads')) || undefined;
  // `?workers=1` keeps the whole analysis in one worker (by default a second runs the detectors on a second core).
  const workers = Number(params.get('workers')) || undefined;
  const [aspect, setAspect] = useState<string>('9:16');
  const { state, analyse, cancel, setAspectRatio } = usePreviewAnalysis({ backend, threads, workers, aspectRatio: aspect });
  const [file, setFile] = useState<File | null>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [time, setTime] = useState(0);
  const [dragging, setDragging] = useState(false);
  const url = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  function choose(f: File | undefined) {
    if (!f) return;
    setFile(f);
    void analyse(f);
  }

  // For tests and backend comparisons: face detection alone on a few frames of the chosen file.
  useEffect(() => {
    if (!file) return;
    window.__reframePreviewDetect = (choice, count) => detectSample(file, choice, count);
    return () => void delete window.__reframePreviewDetect;
  }, [file]);
  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  }

  const result = state.result;
  const running = state.status === 'starting' || state.status === 'analysing';
  const pct = Math.round(state.fraction * 100);
  const speed = state.seconds && state.source ? state.source.duration / state.seconds : null;

  return (
    <div className="mt-6 space-y-6">
      <label
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-xl border-2 border-dashed px-6 py-8 text-center text-sm transition-colors ${dragging ? 'border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40' : 'border-zinc-300 hover:border-zinc-400 dark:border-zinc-700'}`}
      >
        <span className="font-medium">{file ? `“${file.name}” — pick another video` : 'Drop a video here, or click to pick one'}</span>
        <span className="mt-1 text-zinc-600 dark:text-zinc-400">
          MP4 or MOV (H.264, HEVC, VP9, AV1 as your browser decodes). It stays on this device.
        </span>
        <input type="file" accept="video/*" aria-label="Video file" className="sr-only" onChange={(e) => choose(e.target.files?.[0])} />
      </label>

      {state.status !== 'idle' ? (
        <section aria-label="Analysis" className="space-y-2">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            <div
              role="progressbar"
              aria-label="Analysis progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              className="h-2 w-64 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
            >
              <div className="h-full bg-indigo-600 transition-[width] dark:bg-indigo-500" style={{ width: `${pct}%` }} />
            </div>
            <span className="tabular-nums" data-testid="analysis-status">
              {state.status === 'done'
                ? `Analysed in ${state.seconds?.toFixed(1)} s${speed ? ` (${speed.toFixed(1)}× real time)` : ''}`
                : state.status === 'error'
                  ? 'Analysis failed'
                  : state.status === 'cancelled'
                    ? 'Analysis cancelled'
                    : `Analysing… ${pct}%`}
            </span>
            {state.backend ? (
              <span
                data-testid="backend"
                className="rounded-full bg-zinc-100 px-2.5 py-0.5 text-xs font-medium dark:bg-zinc-800"
                title={`GPU: ${state.backend.adapter}`}
              >
                {state.backend.backend === 'webgpu'
                  ? 'WebGPU'
                  : `WASM · SIMD · ${state.backend.threads} thread${state.backend.threads === 1 ? '' : 's'}`}
                {` · ${state.backend.workers} worker${state.backend.workers === 1 ? '' : 's'}`}
              </span>
            ) : null}
            {running ? (
              <Button variant="ghost" size="sm" onClick={cancel}>
                Cancel analysis
              </Button>
            ) : null}
            <label className="ml-auto flex items-center gap-2">
              Aspect
              <select
                value={aspect}
                onChange={(e) => {
                  setAspect(e.target.value);
                  setAspectRatio(e.target.value);
                }}
                className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
              >
                {ASPECTS.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
          </div>
          {state.error ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {state.error}
            </p>
          ) : null}
        </section>
      ) : null}

      {url ? (
        <div className="flex flex-col gap-6 lg:flex-row lg:items-start">
          <figure className="min-w-0 flex-1">
            <div className="relative">
              <video
                ref={setVideo}
                src={url}
                controls
                playsInline
                data-testid="source-video"
                onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
                onSeeked={(e) => setTime(e.currentTarget.currentTime)}
                className="block w-full rounded-lg bg-black"
              />
              {result ? <SubjectBoxes faces={result.faces} path={result.path} time={time} /> : null}
            </div>
            <figcaption className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              Original{result ? ` · analysed ${result.analysedUntil.toFixed(1)} s of ${state.source?.duration.toFixed(1) ?? '?'} s` : ''}
            </figcaption>
          </figure>
          <figure className="shrink-0">
            <CropView video={video} path={result?.path ?? null} analysedUntil={result?.analysedUntil ?? 0} />
            <figcaption className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              Reframed {result?.path.aspect_ratio ?? aspect}
            </figcaption>
          </figure>
        </div>
      ) : null}

      {file && result ? <ExportPanel file={file} path={result.path} /> : null}
      <RenderOnServer file={file} signedIn={signedIn} />
    </div>
  );
}
