// The contract between the worker and a step handler. A handler returns its outcome: completed
// (with the storage key of its result) or failed with a user-facing code. Throwing means a
// transient failure: the step is retried while attempts remain.
import type { Storage } from '../../server/repositories/storage';

export interface StepContext {
  step: { id: string; kind: string; videoId: string; params: unknown; attempt: number; maxAttempts: number };
  storage: Storage;
  signal: AbortSignal;
  /** Reports progress 0–1 (written to the database at most every second). */
  progress(fraction: number): void;
}

export type StepOutcome =
  | { status: 'completed'; resultKey?: string; /** User-facing notes, e.g. a fallback that was taken. */ warnings?: string[] }
  | { status: 'failed'; code: string; message: string };

export type StepHandler = (ctx: StepContext) => Promise<StepOutcome>;
