// A step or video status as a small coloured pill with a dot; the text carries the meaning, the
// colour only repeats it (so it reads the same without colour vision).
import type { StepStatus } from '../../server/contracts/steps';

const STYLES: Record<StepStatus, string> = {
  queued: 'bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700',
  running: 'bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-950/60 dark:text-indigo-300 dark:ring-indigo-900',
  completed: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950/50 dark:text-emerald-300 dark:ring-emerald-900',
  failed: 'bg-red-50 text-red-700 ring-red-200 dark:bg-red-950/50 dark:text-red-300 dark:ring-red-900',
};
const DOTS: Record<StepStatus, string> = {
  queued: 'bg-zinc-400',
  running: 'bg-indigo-500 animate-pulse',
  completed: 'bg-emerald-500',
  failed: 'bg-red-500',
};
const TEXT: Record<StepStatus, string> = { queued: 'Queued', running: 'Running', completed: 'Ready', failed: 'Failed' };

export function StatusBadge({ status, label }: { status: StepStatus; label?: string }) {
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${DOTS[status]}`} aria-hidden="true" />
      {label ?? TEXT[status]}
    </span>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-500 dark:bg-indigo-400" style={{ width: `${pct}%` }} />
    </div>
  );
}
