// "Export a clip": pick a range of up to 60 s inside the analysed part and an output size, render it
// in the browser along the crop path (useExport → ffmpeg.wasm), watch the progress, cancel, download.
// Fed by the chosen file and the preview's crop path; nothing is uploaded.
'use client';

import { useId, useState } from 'react';
import type { ReframePath } from '../../../workers/analysis/reframe-path';
import { exportSizes, MAX_EXPORT_SECONDS } from '../../../workers/browser/ffmpeg-export-plan';
import { Button, buttonClasses } from '../../_components/button';
import { useExport } from './use-export';

interface ExportPanelProps {
  file: File | null;
  /** The crop path of the part analysed so far (its `end` grows while analysis runs). */
  path: ReframePath | null;
}

const seconds = (v: number) => Math.round(v * 10) / 10;

function clipName(file: File | null, start: number, end: number): string {
  const stem = (file?.name ?? 'video').replace(/\.[^.]+$/, '');
  return `${stem}_reframe_${seconds(start)}-${seconds(end)}s.mp4`;
}

export function ExportPanel({ file, path }: ExportPanelProps) {
  const id = useId();
  const { state, start, cancel } = useExport();
  const [range, setRange] = useState<{ start: number; end: number } | null>(null);
  const [sizeIndex, setSizeIndex] = useState(0);

  if (!file || !path) return null;
  const min = path.start;
  const max = path.end;
  // The range follows the analysed span until the user edits it; it is re-clamped as `max` grows.
  const from = Math.min(Math.max(range?.start ?? min, min), max);
  const to = Math.min(range?.end ?? Math.min(max, from + MAX_EXPORT_SECONDS), max, from + MAX_EXPORT_SECONDS);
  const sizes = exportSizes(path.output);
  const size = sizes[Math.min(sizeIndex, sizes.length - 1)]!;
  const running = state.status === 'running';
  const valid = to - from > 0.05;

  const setStart = (v: number) => setRange({ start: v, end: Math.min(Math.max(to, v + 1), v + MAX_EXPORT_SECONDS, max) });
  const setEnd = (v: number) => setRange({ start: Math.max(Math.min(from, v - 1), v - MAX_EXPORT_SECONDS, min), end: v });

  return (
    <section
      aria-labelledby={`${id}-heading`}
      data-testid="export-panel"
      className="rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-heading`} className="text-sm font-medium text-zinc-600 dark:text-zinc-400">
        Export a clip
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Rendered in your browser along the crop path, up to {MAX_EXPORT_SECONDS} s. Nothing is uploaded.
      </p>
      <div className="mt-4 grid gap-4 sm:grid-cols-3">
        <label className="text-sm font-medium">
          Start (s)
          <input
            type="number"
            data-testid="export-start"
            min={min}
            max={max}
            step={0.1}
            value={seconds(from)}
            disabled={running}
            onChange={(e) => setStart(Math.min(Math.max(Number(e.target.value) || 0, min), max))}
            className="mt-1 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 tabular-nums dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <label className="text-sm font-medium">
          End (s)
          <input
            type="number"
            data-testid="export-end"
            min={min}
            max={max}
            step={0.1}
            value={seconds(to)}
            disabled={running}
            onChange={(e) => setEnd(Math.min(Math.max(Number(e.target.value) || 0, min), max))}
            className="mt-1 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 tabular-nums dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <label className="text-sm font-medium">
          Size
          <select
            data-testid="export-size"
            value={Math.min(sizeIndex, sizes.length - 1)}
            disabled={running}
            onChange={(e) => setSizeIndex(Number(e.target.value))}
            className="mt-1 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-950"
          >
            {sizes.map((s, i) => (
              <option key={`${s.width}x${s.height}`} value={i}>
                {s.width}×{s.height}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        {running ? (
          <Button variant="secondary" data-testid="export-cancel" onClick={cancel}>
            Cancel
          </Button>
        ) : (
          <Button
            data-testid="export-start-button"
            disabled={!valid}
            onClick={() => void start({ file, path, start: from, end: to, output: size })}
          >
            Export {seconds(to - from)} s
          </Button>
        )}
        {state.status === 'done' ? (
          <a data-testid="export-download" href={state.url} download={clipName(file, from, to)} className={buttonClasses('secondary')}>
            Download MP4 ({(state.bytes / 1e6).toFixed(1)} MB, {seconds(state.seconds)} s)
          </a>
        ) : null}
        {state.status === 'cancelled' ? (
          <span data-testid="export-status" className="text-sm text-zinc-600 dark:text-zinc-400">
            Export cancelled.
          </span>
        ) : null}
        {state.status === 'error' ? (
          <span data-testid="export-status" role="alert" className="text-sm text-red-600 dark:text-red-400">
            The export failed: {state.message}
          </span>
        ) : null}
      </div>
      {running ? (
        <div
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(state.progress * 100)}
          data-testid="export-progress"
          className="mt-4 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <div className="h-full bg-indigo-600 transition-[width] dark:bg-indigo-500" style={{ width: `${state.progress * 100}%` }} />
        </div>
      ) : null}
    </section>
  );
}
