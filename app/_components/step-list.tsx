'use client';
// A video's steps as the dashboard shows them: name and status of the latest step of each kind, a
// live progress bar while one runs, and a failed step's user-facing message with a Retry button.
// Retrying calls videos.retry and refreshes the video queries so that polling picks the step up.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StepView } from '../../server/contracts/api';
import { Button } from './button';
import { ProgressBar, StatusBadge } from './status-badge';
import { errorMessage } from './trpc-errors';
import { useTRPC } from './trpc-provider';
import { latestSteps, stepLabel } from './video-steps';

export function StepList({ videoId, steps, compact = false }: { videoId: string; steps: StepView[]; compact?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.videos.retry.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.videos.pathKey() }),
    }),
  );
  const shown = latestSteps(steps).filter((s) => !compact || s.status !== 'completed');
  if (shown.length === 0) return null;
  return (
    <ul className="space-y-2.5">
      {shown.map((s) => {
        const label = stepLabel(s.step);
        return (
          <li key={s.step} className="text-sm">
            <div className="flex items-center justify-between gap-2">
              <span className="min-w-0 truncate font-medium text-zinc-800 dark:text-zinc-200">{label}</span>
              <span className="flex shrink-0 items-center gap-2">
                {s.status === 'running' ? (
                  <span className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">{Math.round(s.progress * 100)}%</span>
                ) : null}
                <StatusBadge status={s.status} />
              </span>
            </div>
            {s.status === 'running' || s.status === 'queued' ? (
              <div className="mt-1.5">
                <ProgressBar value={s.progress} label={`${label} progress`} />
              </div>
            ) : null}
            {s.status === 'failed' ? (
              <div className="mt-1.5 flex items-start justify-between gap-3 rounded-lg bg-red-50 px-3 py-2 dark:bg-red-950/40">
                <p className="min-w-0 text-red-700 dark:text-red-300">{s.error?.message || 'This step failed.'}</p>
                <Button
                  size="sm"
                  variant="secondary"
                  aria-label={`Retry ${label}`}
                  disabled={retry.isPending}
                  onClick={() => retry.mutate({ id: videoId, step: s.step })}
                >
                  Retry
                </Button>
              </div>
            ) : null}
          </li>
        );
      })}
      {retry.error ? (
        <li role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errorMessage(retry.error)}
        </li>
      ) : null}
    </ul>
  );
}
