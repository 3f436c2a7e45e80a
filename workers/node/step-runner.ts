// The worker loop: claims due steps from the database (at most WORKER_CONCURRENCY at once), runs
// their handlers with a timeout and a heartbeat, records the outcome, retries transient failures
// with backoff, and puts back steps whose worker died (restart recovery). The same loop runs inside
// the web process (embedded default) or alone (`npm run worker`). Before a handler runs, the step's
// dependencies are checked (a step waiting for another goes back to the queue without using an
// attempt); after a step's final outcome, the follow-up rules (server/jobs/follow-ups.ts) run.
// With QUEUE=bullmq the loop does not poll: BullMQ hands out step ids and `runStep` runs each one.
import os from 'node:os';
import { AppError } from '../../server/contracts/errors';
import { env } from '../../server/env';
import { checkDependencies } from '../../server/jobs/check-dependencies';
import { afterStep, resumeJobs } from '../../server/jobs/follow-ups';
import { stepWakeups } from '../../server/jobs/queue';
import { stepsRepository, type StepRow } from '../../server/repositories/steps.repository';
import { storage } from '../../server/repositories/storage';
import type { StepHandler, StepOutcome } from './step-handler';

const HEARTBEAT_MS = 1_000;
const STALE_MS = 60_000;
const POLL_MS = 1_000;
/** How soon a step waiting for another one looks again. */
const WAIT_MS = 2_000;
/** How soon a step that another (live) worker holds is looked at again (BullMQ driver). */
const RECHECK_MS = 5_000;
/** Writes of a step's outcome tried before giving up (the startup recovery then puts the step back). */
const PERSIST_ATTEMPTS = 30;

export interface RunnerOptions {
  handlers: Record<string, StepHandler>;
  concurrency?: number;
  timeoutMs?: number;
  workerId?: string;
  log?: (msg: string) => void;
}

export const backoffMs = (attempt: number) => Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt - 1));

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StepRunner {
  readonly workerId: string;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly running = new Map<string, AbortController>();
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private again = false;
  private readonly onWake = () => void this.tick();
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: RunnerOptions) {
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}`;
    this.concurrency = opts.concurrency ?? env.WORKER_CONCURRENCY;
    this.timeoutMs = opts.timeoutMs ?? env.STEP_TIMEOUT_MS;
    this.log = opts.log ?? ((m) => console.log(`[worker] ${m}`));
  }

  /** `poll: false` when a queue (BullMQ) hands out the steps through `runStep`. */
  async start({ poll = true }: { poll?: boolean } = {}): Promise<void> {
    await this.recover();
    await resumeJobs().catch((error: Error) => this.log(`resuming jobs failed: ${error.message}`));
    if (!poll) return;
    stepWakeups.on('enqueued', this.onWake);
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    void this.tick();
  }

  /** Stops taking work; running steps are aborted and put back in the queue for another worker. */
  async stop(): Promise<void> {
    this.stopped = true;
    stepWakeups.off('enqueued', this.onWake);
    if (this.timer) clearInterval(this.timer);
    for (const c of this.running.values()) c.abort(new Error('worker shutting down'));
    while (this.running.size) await new Promise((r) => setTimeout(r, 50));
  }

  get activeCount(): number {
    return this.running.size;
  }

  /** Requeues running steps whose worker is gone: a dead pid on this host, or a stale heartbeat. */
  async recover(): Promise<void> {
    const host = os.hostname();
    const dead = (await stepsRepository.runningLockHolders()).filter((holder) => {
      const [h, pid] = holder.split(':');
      return h === host && holder !== this.workerId && !isProcessAlive(Number(pid));
    });
    for (const step of await stepsRepository.orphaned(new Date(Date.now() - STALE_MS), dead)) {
      const exhausted = step.attempts >= step.maxAttempts;
      await stepsRepository.release(
        step.id,
        step.lockedBy,
        exhausted
          ? {
              status: 'failed',
              errorCode: 'worker_lost',
              errorMessage: 'The worker running this step stopped too many times.',
              finishedAt: new Date(),
            }
          : { status: 'queued', runAfter: new Date(), startedAt: null },
      );
      this.log(`recovered ${step.kind} ${step.id} from ${step.lockedBy} → ${exhausted ? 'failed' : 'queued'}`);
      if (exhausted) {
        await this.followUp(step, {
          status: 'failed',
          code: 'worker_lost',
          message: 'The worker running this step stopped too many times.',
        });
      }
    }
  }

  /**
   * Runs the step `id` now if it is queued and due (the BullMQ driver's entry). Returns when to look
   * at it again — it waits for its time, for a dependency, or for the worker holding it — or null
   * when it needs nothing more. A step held by a dead worker is put back first (see recover).
   */
  async runStep(id: string): Promise<Date | null> {
    if (this.stopped) return new Date();
    let step = await stepsRepository.findById(id);
    if (step?.status === 'running') {
      await this.recover();
      step = await stepsRepository.findById(id);
      if (step?.status === 'running') return new Date(Date.now() + RECHECK_MS);
    }
    if (step?.status !== 'queued') return null;
    if (step.runAfter.getTime() > Date.now()) return step.runAfter;
    const claimed = await stepsRepository.claim(id, this.workerId, new Date());
    if (!claimed) return new Date(Date.now() + RECHECK_MS);
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      await this.execute(claimed, controller);
    } finally {
      this.running.delete(id);
    }
    const after = await stepsRepository.findById(id);
    return after?.status === 'queued' ? after.runAfter : null;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.again = false;
        const free = this.concurrency - this.running.size;
        if (free <= 0) break;
        for (const id of await stepsRepository.dueIds(new Date(), free * 2)) {
          if (this.running.size >= this.concurrency || this.stopped) break;
          const step = await stepsRepository.claim(id, this.workerId, new Date());
          if (step) this.launch(step);
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log(`poll failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private launch(step: StepRow): void {
    const controller = new AbortController();
    this.running.set(step.id, controller);
    void this.execute(step, controller)
      .catch((error: Error) => this.log(`${step.kind} ${step.id} could not be recorded: ${error.message}`))
      .finally(() => {
        this.running.delete(step.id);
        void this.tick();
      });
  }

  private async execute(step: StepRow, controller: AbortController): Promise<void> {
    const handler = this.opts.handlers[step.kind];
    const params = JSON.parse(step.params) as Record<string, unknown>;
    const gate = await this.gate(step, params).catch((error: Error) => error);
    if (gate === 'wait') return;
    if (gate) return this.record(step, gate);
    // Stopped while the dependencies were checked: the handler would never see the abort.
    if (controller.signal.aborted) return this.record(step, controller.signal.reason as Error);
    let progress = 0;
    let lastWritten = -1;
    const beat = setInterval(() => {
      const p = progress === lastWritten ? undefined : progress;
      lastWritten = progress;
      void stepsRepository.heartbeat(step.id, this.workerId, p).then(
        (mine) => mine || controller.abort(new Error('step was taken over')),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    const timeout = setTimeout(() => controller.abort(new StepTimeout(this.timeoutMs)), this.timeoutMs);
    let outcome: StepOutcome | Error;
    try {
      if (!handler) throw new Error(`no handler for ${step.kind}`);
      outcome = await handler({
        step: {
          id: step.id,
          kind: step.kind,
          videoId: step.videoId,
          params,
          attempt: step.attempts,
          maxAttempts: step.maxAttempts,
        },
        storage,
        signal: controller.signal,
        progress: (f) => {
          progress = Math.max(0, Math.min(1, f));
        },
      });
      if (controller.signal.aborted) outcome = controller.signal.reason as Error;
    } catch (error) {
      outcome = controller.signal.aborted ? (controller.signal.reason as Error) : (error as Error);
    } finally {
      clearInterval(beat);
      clearTimeout(timeout);
    }
    await this.record(step, outcome);
  }

  /** Null: run it now; 'wait': put back until what it builds on is done; an outcome: fail it now. */
  private async gate(step: StepRow, params: Record<string, unknown>): Promise<null | 'wait' | StepOutcome> {
    const autoStart = step.kind.startsWith('transform:') && params.auto_analyze !== false;
    const deps = await checkDependencies(step.videoId, step.kind, params, { autoStart });
    if (deps.state === 'ready') return null;
    if (deps.state === 'missing') {
      const name = deps.dependency.kind.replace(/^analyze:/, '');
      const why = deps.status === 'missing' ? 'has not been run' : `${deps.status}${deps.message ? `: ${deps.message}` : ''}`;
      return { status: 'failed', code: 'missing_dependency', message: `${step.kind} needs ${name}, which ${why}.` };
    }
    await stepsRepository.finish(step.id, this.workerId, {
      status: 'queued',
      attempts: Math.max(0, step.attempts - 1),
      runAfter: new Date(Date.now() + WAIT_MS),
      startedAt: null,
    });
    return 'wait';
  }

  private async record(step: StepRow, outcome: StepOutcome | Error): Promise<void> {
    const now = new Date();
    if (!(outcome instanceof Error)) {
      await this.persist(step, () =>
        stepsRepository.finish(
          step.id,
          this.workerId,
          outcome.status === 'completed'
            ? {
                status: 'completed',
                progress: 1,
                resultKey: outcome.resultKey ?? null,
                warnings: outcome.warnings?.length ? JSON.stringify(outcome.warnings) : null,
                errorCode: null,
                errorMessage: null,
                finishedAt: now,
              }
            : { status: 'failed', errorCode: outcome.code, errorMessage: outcome.message, finishedAt: now },
        ),
      );
      this.log(`${step.kind} ${step.id} ${outcome.status}${outcome.status === 'failed' ? ` (${outcome.code})` : ''}`);
      await this.followUp(step, outcome.status === 'completed' ? { status: 'completed' } : outcome);
      return;
    }
    if (this.stopped) {
      // Shutting down is not the step's fault: give the attempt back and let another worker run it.
      await this.persist(step, () =>
        stepsRepository.finish(step.id, this.workerId, {
          status: 'queued',
          attempts: Math.max(0, step.attempts - 1),
          runAfter: now,
          startedAt: null,
        }),
      );
      return;
    }
    const timedOut = outcome instanceof StepTimeout;
    const retry = step.attempts < step.maxAttempts;
    this.log(
      `${step.kind} ${step.id} attempt ${step.attempts} ${timedOut ? 'timed out' : `threw: ${outcome.message}`}${retry ? ', will retry' : ''}`,
    );
    // A user-facing error (storage_full, url_unreachable, …) keeps its code once the retries are spent.
    const failure = timedOut
      ? { errorCode: 'timeout', errorMessage: `The step took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped.` }
      : outcome instanceof AppError
        ? { errorCode: outcome.code, errorMessage: outcome.message }
        : { errorCode: 'internal_error', errorMessage: `The step failed ${step.attempts} times because of an internal error.` };
    await this.persist(step, () =>
      stepsRepository.finish(
        step.id,
        this.workerId,
        retry
          ? { status: 'queued', runAfter: new Date(now.getTime() + backoffMs(step.attempts)), progress: 0, startedAt: null }
          : { status: 'failed', finishedAt: now, ...failure },
      ),
    );
    if (!retry) await this.followUp(step, { status: 'failed', code: failure.errorCode, message: failure.errorMessage });
  }

  /**
   * Writes a step's outcome, waiting out a database outage (1 s, 2 s … 5 s apart, about two minutes in
   * all; not once the worker is stopping): an outcome that is lost would leave the step `running` until the next restart.
   */
  private async persist(step: StepRow, write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        const message = (error as Error).message.trim().split('\n').at(-1);
        if (attempt >= PERSIST_ATTEMPTS || this.stopped) throw error;
        this.log(`recording ${step.kind} ${step.id} failed (${message}); trying again`);
        await new Promise((r) => setTimeout(r, Math.min(5_000, 1_000 * attempt)));
      }
    }
  }

  private async followUp(step: StepRow, outcome: { status: 'completed' } | { status: 'failed'; code: string; message: string }) {
    try {
      await afterStep({
        videoId: step.videoId,
        kind: step.kind,
        status: outcome.status,
        ...(outcome.status === 'failed' ? { errorCode: outcome.code, errorMessage: outcome.message } : {}),
      });
    } catch (error) {
      this.log(`follow-up of ${step.kind} ${step.id} failed: ${(error as Error).message}`);
    }
  }
}

class StepTimeout extends Error {
  constructor(ms: number) {
    super(`step timed out after ${ms} ms`);
  }
}
