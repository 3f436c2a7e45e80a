// The queue seen from the API side: after a step row is written, `enqueue` hands its id to whatever
// runs steps. The step row in the database is the source of truth in every driver; the embedded
// driver's "queue" is that table, so enqueueing only wakes the in-process worker.
import { EventEmitter } from 'node:events';

export interface StepQueue {
  enqueue(stepId: string): Promise<void>;
}

/** One emitter per process, shared by the Next.js bundle and the worker (kept on globalThis). */
const holder = globalThis as unknown as { __reframeWake?: EventEmitter };
export const stepWakeups: EventEmitter = (holder.__reframeWake ??= new EventEmitter());

export const embeddedQueue: StepQueue = {
  async enqueue(stepId) {
    stepWakeups.emit('enqueued', stepId);
  },
};

export function getQueue(): StepQueue {
  return embeddedQueue;
}
