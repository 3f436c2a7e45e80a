// `npm run worker`: a worker process without the web server. Runs the same step loop as the
// embedded worker, on the configured queue (the steps table, or BullMQ with QUEUE=bullmq);
// SIGTERM/SIGINT stop taking work and hand running steps back to the queue. It runs as
// `node --import tsx`, not under the tsx CLI, whose wrapper process SIGKILLs a child that is too busy
// to acknowledge a relayed SIGTERM within 30 ms — a worker in the middle of a step.
import { env } from '../../server/env';
import { handlers } from './handlers';
import { startStepWorker } from './start-step-worker';

const worker = await startStepWorker(handlers);
const id = worker.runner.workerId;
console.log(`worker ${id} started (queue ${env.QUEUE}, ${env.WORKER_CONCURRENCY} at a time)`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`worker ${id} stopping (${signal})`);
    void worker.stop().then(() => process.exit(0));
  });
}
