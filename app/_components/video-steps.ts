// How the dashboard names and summarises a video's steps: plain names for step kinds, the latest
// step of each kind, whether anything still runs (the pages poll while it does), and durations.
import type { StepView } from '../../server/contracts/api';

export const ANALYSES = [
  { model: 'scene_detection', label: 'Scene detection', blurb: 'Finds the cuts between shots.' },
  { model: 'face_tracking_yolov8', label: 'Face tracking', blurb: 'Finds and follows every face.' },
  { model: 'active_speaker', label: 'Active speaker', blurb: 'Who speaks, from lips against audio. Needs faces.' },
  { model: 'diarization', label: 'Diarization', blurb: 'Who speaks when, from the voices.' },
  { model: 'transcription', label: 'Transcription', blurb: 'Words with their times (offline engine).' },
] as const;

export type AnalysisModel = (typeof ANALYSES)[number]['model'];

const LABELS: Record<string, string> = {
  ingest: 'Ingest',
  'transform:reframe': 'Reframe',
  'transform:reframe_llm': 'Reframe (LLM)',
  ...Object.fromEntries(ANALYSES.map((a) => [`analyze:${a.model}`, a.label])),
};

export const stepLabel = (kind: string) => LABELS[kind] ?? kind.replace(/^\w+:/, '').replace(/_/g, ' ');

/** The latest step of each kind, in the order the kinds first appeared. */
export function latestSteps(steps: StepView[]): StepView[] {
  const byKind = new Map<string, StepView>();
  for (const s of steps) if (s.step !== 'webhook') byKind.set(s.step, s);
  return [...byKind.values()];
}

export const isLive = (s: StepView) => s.status === 'queued' || s.status === 'running';

export const latestOf = (steps: StepView[], kind: string) => steps.filter((s) => s.step === kind).at(-1);

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
