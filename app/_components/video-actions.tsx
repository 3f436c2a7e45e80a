'use client';
// The side panel of a video page: run each analysis (with its status, progress and retry), reframe
// with settings (aspect ratio, layout, LLM assist, diarization, start/end), and the downloads, which
// show their credit cost and ask before charging, then show the balance after.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { StepView } from '../../server/contracts/api';
import { Button } from './button';
import { ConfirmDialog } from './confirm-dialog';
import { ProgressBar, StatusBadge } from './status-badge';
import { inputClasses } from './text-field';
import { errorMessage } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { ANALYSES, isLive, latestOf, stepLabel, type AnalysisModel } from './video-steps';

const PANEL = 'rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900';
const numberFormat = new Intl.NumberFormat();

function useInvalidateVideo() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.videos.pathKey() });
}

function StepState({ step }: { step: StepView | undefined }) {
  if (!step) return <span className="text-xs text-zinc-500 dark:text-zinc-400">Not run</span>;
  return (
    <span className="flex items-center gap-2">
      {step.status === 'running' ? (
        <span className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">{Math.round(step.progress * 100)}%</span>
      ) : null}
      <StatusBadge status={step.status} />
    </span>
  );
}

export function AnalysesPanel({ videoId, steps, ready }: { videoId: string; steps: StepView[]; ready: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateVideo();
  const [error, setError] = useState<string | null>(null);
  const analyze = useMutation(trpc.videos.analyze.mutationOptions({ onSettled: invalidate }));
  const retry = useMutation(trpc.videos.retry.mutationOptions({ onSettled: invalidate }));
  const run = (model: AnalysisModel) => {
    setError(null);
    analyze.mutate({ id: videoId, model_type: model }, { onError: (e) => setError(errorMessage(e)) });
  };
  const runAll = async () => {
    setError(null);
    // Sequenced so that each analysis finds the one it builds on queued (active speaker needs faces).
    for (const a of ANALYSES) {
      const s = latestOf(steps, `analyze:${a.model}`);
      if (s && (isLive(s) || s.status === 'completed')) continue;
      try {
        await analyze.mutateAsync({ id: videoId, model_type: a.model });
      } catch (e) {
        setError(errorMessage(e));
        break;
      }
    }
  };
  return (
    <section aria-labelledby="analyses-heading" className={PANEL}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="analyses-heading" className="text-base font-semibold">
          Analyses
        </h2>
        <Button size="sm" variant="secondary" disabled={!ready || analyze.isPending} onClick={() => void runAll()}>
          Run all
        </Button>
      </div>
      <ul className="mt-3 divide-y divide-zinc-100 dark:divide-zinc-800">
        {ANALYSES.map((a) => {
          const step = latestOf(steps, `analyze:${a.model}`);
          const live = step ? isLive(step) : false;
          return (
            <li key={a.model} className="py-2.5">
              <div className="flex items-center justify-between gap-3">
                <div className="min-w-0">
                  <p className="text-sm font-medium">{a.label}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">{a.blurb}</p>
                </div>
                <div className="flex shrink-0 items-center gap-2">
                  <StepState step={step} />
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${step ? 'Run again' : 'Run'}: ${a.label}`}
                    disabled={!ready || live || analyze.isPending}
                    onClick={() => run(a.model)}
                  >
                    {step ? 'Rerun' : 'Run'}
                  </Button>
                </div>
              </div>
              {live ? (
                <div className="mt-2">
                  <ProgressBar value={step!.progress} label={`${a.label} progress`} />
                </div>
              ) : null}
              {step?.status === 'failed' ? (
                <div className="mt-2 flex items-start justify-between gap-3 rounded-lg bg-red-50 px-3 py-2 text-sm dark:bg-red-950/40">
                  <p className="text-red-700 dark:text-red-300">{step.error?.message || 'This analysis failed.'}</p>
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={`Retry ${a.label}`}
                    onClick={() => retry.mutate({ id: videoId, step: step.step })}
                  >
                    Retry
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {error || retry.error ? (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {error ?? errorMessage(retry.error)}
        </p>
      ) : null}
    </section>
  );
}

const ASPECTS = ['9:16', '1:1', '4:5', '16:9'];

export function ReframePanel({
  videoId,
  steps,
  ready,
  duration,
}: {
  videoId: string;
  steps: StepView[];
  ready: boolean;
  duration: number | null;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateVideo();
  const ids = { aspect: useId(), layout: useId(), start: useId(), end: useId() };
  const [aspect, setAspect] = useState('9:16');
  const [layout, setLayout] = useState<'single' | 'split' | 'auto'>('single');
  const [llm, setLlm] = useState(false);
  const [diarization, setDiarization] = useState(false);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const transform = useMutation(trpc.videos.transform.mutationOptions({ onSettled: invalidate }));
  const current = [latestOf(steps, 'transform:reframe'), latestOf(steps, 'transform:reframe_llm')]
    .filter((s): s is StepView => s !== undefined)
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .at(-1);
  const live = current ? isLive(current) : false;

  function submit(e: FormEvent) {
    e.preventDefault();
    const parameters: Record<string, unknown> = { aspect_ratio: aspect, layout, diarization };
    if (start.trim()) parameters.start_time = Number(start);
    if (end.trim()) parameters.end_time = Number(end);
    transform.mutate({ id: videoId, transform_type: llm ? 'reframe_llm' : 'reframe', parameters });
  }

  const field = 'mt-1 ' + inputClasses(false);
  return (
    <section aria-labelledby="reframe-heading" className={PANEL}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="reframe-heading" className="text-base font-semibold">
          Reframe
        </h2>
        {current ? <StepState step={current} /> : null}
      </div>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Missing analyses run first, automatically.</p>
      <form onSubmit={submit} className="mt-3 grid grid-cols-2 gap-3">
        <div>
          <label htmlFor={ids.aspect} className="text-sm font-medium">
            Aspect ratio
          </label>
          <select id={ids.aspect} value={aspect} onChange={(e) => setAspect(e.target.value)} className={field}>
            {ASPECTS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.layout} className="text-sm font-medium">
            Layout
          </label>
          <select id={ids.layout} value={layout} onChange={(e) => setLayout(e.target.value as typeof layout)} className={field}>
            <option value="single">Single speaker</option>
            <option value="split">Split (two stacked)</option>
            <option value="auto">Auto</option>
          </select>
        </div>
        <div>
          <label htmlFor={ids.start} className="text-sm font-medium">
            Start (s)
          </label>
          <input
            id={ids.start}
            type="number"
            min={0}
            step="0.1"
            placeholder="0"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            className={field}
          />
        </div>
        <div>
          <label htmlFor={ids.end} className="text-sm font-medium">
            End (s)
          </label>
          <input
            id={ids.end}
            type="number"
            min={0}
            step="0.1"
            placeholder={duration ? duration.toFixed(1) : 'end'}
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            className={field}
          />
        </div>
        <label className="col-span-2 flex items-start gap-2 text-sm">
          <input type="checkbox" checked={llm} onChange={(e) => setLlm(e.target.checked)} className="mt-0.5 h-4 w-4 accent-indigo-600" />
          <span>
            <span className="font-medium">LLM assist</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">
              An LLM decides where the plan is unsure (needs an LLM endpoint configured).
            </span>
          </span>
        </label>
        <label className="col-span-2 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            checked={diarization}
            onChange={(e) => setDiarization(e.target.checked)}
            className="mt-0.5 h-4 w-4 accent-indigo-600"
          />
          <span>
            <span className="font-medium">Use diarization</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">Voices reinforce who is speaking.</span>
          </span>
        </label>
        <div className="col-span-2">
          <Button type="submit" className="w-full" disabled={!ready || live || transform.isPending}>
            {live
              ? `${stepLabel(current!.step)} ${Math.round(current!.progress * 100)}%…`
              : current?.status === 'completed'
                ? 'Reframe again'
                : 'Reframe video'}
          </Button>
        </div>
      </form>
      {live ? (
        <div className="mt-3">
          <ProgressBar value={current!.progress} label="Reframe progress" />
        </div>
      ) : null}
      {current?.status === 'failed' ? (
        <p className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300">
          {current.error?.message || 'The reframe failed.'}
        </p>
      ) : null}
      {current?.warnings?.length ? (
        <ul className="mt-3 space-y-1 text-xs text-amber-700 dark:text-amber-300">
          {current.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      ) : null}
      {transform.error ? (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {errorMessage(transform.error)}
        </p>
      ) : null}
    </section>
  );
}

export function DownloadPanel({ videoId, cost, paid, hasOutput }: { videoId: string; cost: number; paid: boolean; hasOutput: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const summary = useQuery(trpc.account.summary.queryOptions());
  const [pending, setPending] = useState<'reframe' | 'reframe_path' | null>(null);
  const [receipt, setReceipt] = useState<{ charged: number; balance: number } | null>(null);
  const purchase = useMutation(trpc.videos.purchase.mutationOptions());
  const balance = summary.data?.balance;

  const start = (what: 'reframe' | 'reframe_path') => {
    window.location.assign(`/media/${videoId}/${what}?download=1`);
  };
  const ask = (what: 'reframe' | 'reframe_path') => (paid ? start(what) : setPending(what));
  const confirm = () => {
    if (!pending) return;
    const what = pending;
    purchase.mutate(
      { id: videoId },
      {
        onSuccess: async (r) => {
          setReceipt(r);
          setPending(null);
          await Promise.all([
            queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() }),
            queryClient.invalidateQueries({ queryKey: trpc.videos.get.pathKey() }),
          ]);
          start(what);
        },
      },
    );
  };

  return (
    <section aria-labelledby="download-heading" className={PANEL}>
      <h2 id="download-heading" className="text-base font-semibold">
        Download
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {paid ? (
          'Paid — download as often as you like.'
        ) : (
          <>
            Costs <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{numberFormat.format(cost)} credits</strong>, once, for
            every output of this video.
            {balance !== undefined ? ` You have ${numberFormat.format(balance)}.` : ''}
          </>
        )}
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button disabled={!hasOutput} onClick={() => ask('reframe')}>
          Download MP4{paid ? '' : ` · ${cost} credits`}
        </Button>
        <Button variant="secondary" disabled={!hasOutput} onClick={() => ask('reframe_path')}>
          Crop path (JSON)
        </Button>
      </div>
      {!hasOutput ? <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Reframe the video first.</p> : null}
      <div aria-live="polite">
        {receipt ? (
          <p
            className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-300"
            data-testid="receipt"
          >
            Charged {numberFormat.format(receipt.charged)} credits. Balance now {numberFormat.format(receipt.balance)} credits.
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={`Download for ${numberFormat.format(cost)} credits?`}
        confirmLabel={`Pay ${numberFormat.format(cost)} credits and download`}
        pendingLabel="Charging…"
        tone="primary"
        pending={purchase.isPending}
        error={purchase.error ? errorMessage(purchase.error) : null}
        onConfirm={confirm}
        onCancel={() => {
          setPending(null);
          purchase.reset();
        }}
      >
        One credit per second of video, charged once: later downloads of this video are free.
        {balance !== undefined ? (
          <>
            {' '}
            Your balance goes from{' '}
            <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{numberFormat.format(balance)}</strong> to{' '}
            <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{numberFormat.format(balance - cost)}</strong> credits.
          </>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
