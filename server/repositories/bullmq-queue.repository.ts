// The BullMQ driver of the step queue (QUEUE=bullmq): a job per step whose id is the step id (so
// enqueueing twice is one job) and whose data is only that id — the step row stays the truth. The
// consumer side hands each job's step id to a callback and parks the job until the time it returns.
import { DelayedError, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const QUEUE_NAME = 'steps';
/** A worker's hold on a job; renewed every half of it, so a killed worker's job is free again soon. */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

interface StepJob {
  stepId: string;
}

/** BullMQ's blocking commands must wait for Redis to come back rather than fail: no retry limit. */
const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

export class BullmqStepQueue {
  private queue: Queue<StepJob> | null = null;
  private connection: Redis | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  async enqueue(stepId: string, delayMs = 0): Promise<void> {
    // A client we make ourselves: BullMQ cannot load ioredis by itself from an ES module.
    this.connection ??= connect(this.redisUrl);
    this.queue ??= new Queue<StepJob>(QUEUE_NAME, { connection: this.connection, prefix: this.prefix });
    await this.queue.add(
      'step',
      { stepId },
      // Finished jobs are removed, so a step put back in the queue later can be added again.
      { jobId: stepId, delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: true },
    );
  }

  async close(): Promise<void> {
    await this.queue?.close();
    await this.connection?.quit();
    this.queue = null;
    this.connection = null;
  }

  /**
   * Runs `process(stepId)` for each job, `concurrency` at once. It returns when to look at the step
   * again (the job waits in BullMQ's delayed set until then) or null when the step needs nothing more.
   * A job whose worker died is given to another worker by BullMQ's stalled-job check; it is never
   * failed for stalling, since the step row decides whether the step may run again.
   */
  consume(o: { concurrency: number; process: (stepId: string) => Promise<Date | null>; log: (msg: string) => void }) {
    const connection = connect(this.redisUrl);
    const worker = new Worker<StepJob>(
      QUEUE_NAME,
      async (job, token) => {
        const again = await o.process(job.data.stepId);
        if (!again) return;
        await job.moveToDelayed(Math.max(again.getTime(), Date.now()), token);
        throw new DelayedError();
      },
      {
        connection,
        prefix: this.prefix,
        concurrency: o.concurrency,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        maxStalledCount: Number.MAX_SAFE_INTEGER,
      },
    );
    worker.on('error', (error) => o.log(`queue error: ${error.message}`));
    worker.on('failed', (job, error) => o.log(`queue job ${job?.id ?? '?'} failed: ${error.message}`));
    return {
      close: async () => {
        await worker.close();
        await connection.quit();
      },
    };
  }
}
