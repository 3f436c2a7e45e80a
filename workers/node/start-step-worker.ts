// Starts the step worker of a process (`npm run worker`, or the web process's embedded one) on the
// configured queue: the embedded driver polls the steps table; the BullMQ driver consumes jobs and
// sweeps the table for due steps that have no job (written before a crash, or put back by recovery).
// Returns the runner and a stop() that takes no more work and hands running steps back.
import { env } from '../../server/env';
import { bullmqQueue } from '../../server/jobs/queue';
import { stepsRepository } from '../../server/repositories/steps.repository';
import { StepRunner } from './step-runner';
import type { StepHandler } from './step-handler';

const SWEEP_MS = 10_000;

export async function startStepWorker(handlers: Record<string, StepHandler>, opts: { log?: (msg: string) => void } = {}) {
  const log = opts.log ?? ((m: string) => console.log(`[worker] ${m}`));
  const runner = new StepRunner({ handlers, log });
  if (env.QUEUE === 'embedded') {
    await runner.start();
    return { runner, stop: () => runner.stop() };
  }
  await runner.start({ poll: false });
  const queue = bullmqQueue();
  const sweep = async () => {
    try {
      await runner.recover();
      for (const id of await stepsRepository.dueIds(new Date(), 100)) await queue.enqueue(id);
    } catch (error) {
      log(`sweep failed: ${(error as Error).message}`);
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), SWEEP_MS);
  const consumer = queue.consume({ concurrency: env.WORKER_CONCURRENCY, process: (id) => runner.runStep(id), log });
  return {
    runner,
    async stop() {
      clearInterval(timer);
      // The consumer waits for its jobs; the runner aborts their steps, which puts them back for another worker.
      await Promise.all([consumer.close(), runner.stop()]);
      await queue.close();
    },
  };
}
