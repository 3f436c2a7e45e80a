// The queue seen from the API side: after a step row is written, `enqueue` hands its id to whatever
// runs steps. The step row in the database is the source of truth in every driver; the embedded
// driver's "queue" is that table, so enqueueing only wakes the in-process worker; the BullMQ driver
// (QUEUE=bullmq) adds a job carrying the step id for the `npm run worker` processes.
import { EventEmitter } from 'node:events';
import { env } from '../env';
import { BullmqStepQueue } from '../repositories/bullmq-queue.repository';

export interface StepQueue {
  enqueue(stepId: string): Promise<void>;
}

/** One emitter and one BullMQ producer per process, shared by the Next.js bundle and the worker (kept on globalThis). */
const holder = globalThis as unknown as { __reframeWake?: EventEmitter; __reframeBullmq?: BullmqStepQueue };
export const stepWakeups: EventEmitter = (holder.__reframeWake ??= new EventEmitter());

export const embeddedQueue: StepQueue = {
  async enqueue(stepId) {
    stepWakeups.emit('enqueued', stepId);
  },
};

export function bullmqQueue(): BullmqStepQueue {
  return (holder.__reframeBullmq ??= new BullmqStepQueue(env.REDIS_URL, env.QUEUE_PREFIX));
}

export function getQueue(): StepQueue {
  return env.QUEUE === 'bullmq' ? bullmqQueue() : embeddedQueue;
}
