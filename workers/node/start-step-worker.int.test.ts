// The BullMQ driver (QUEUE=bullmq) on the machine's real Redis (a prefix of its own) and a real SQLite
// database, with handlers defined here: a step enqueued twice runs once, a transient failure waits in
// BullMQ's delayed set for its backoff and completes on the next attempt, a step waiting for another
// one runs after it, and stopping a worker hands its running step back for the next worker.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { useDatabase } from '../../e2e/support/use-database';

const PREFIX = `reframe-test-${randomBytes(4).toString('hex')}`;
process.env.QUEUE = 'bullmq';
process.env.QUEUE_PREFIX = PREFIX;
const cleanup = await useDatabase('sqlite');

const { db } = await import('../../server/db');
const { env } = await import('../../server/env');
const { enqueueStep } = await import('../../server/jobs/enqueue-step');
const { bullmqQueue } = await import('../../server/jobs/queue');
const { createAccountWithGrant } = await import('../../server/repositories/accounts.repository');
const { startStepWorker } = await import('./start-step-worker');

const redis = new Redis(env.REDIS_URL);
afterAll(async () => {
  await bullmqQueue().close();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await cleanup();
});

async function newVideo() {
  const account = await createAccountWithGrant(`${Math.random()}@x.test`, null, 0);
  return db.video.create({ data: { accountId: account.id, sourceType: 'upload' } });
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const finished = (id: string) =>
  waitFor(async () => {
    const s = await db.step.findUnique({ where: { id } });
    return s && (s.status === 'completed' || s.status === 'failed') ? s : null;
  });

const quiet = { log: () => undefined };

describe('step worker on BullMQ', () => {
  it('makes one job of a step enqueued twice and runs it once', async () => {
    const video = await newVideo();
    let calls = 0;
    const worker = await startStepWorker(
      {
        'analyze:once': async () => {
          calls++;
          await new Promise((r) => setTimeout(r, 300));
          return { status: 'completed' };
        },
      },
      quiet,
    );
    try {
      const step = await enqueueStep(video.id, 'analyze:once');
      await bullmqQueue().enqueue(step.id);
      expect(await redis.exists(`${PREFIX}:steps:${step.id}`)).toBe(1);
      expect(await finished(step.id)).toMatchObject({ status: 'completed', attempts: 1 });
      await new Promise((r) => setTimeout(r, 500));
      expect(calls).toBe(1);
      // A finished job is removed, so the step id could be queued again.
      expect(await redis.exists(`${PREFIX}:steps:${step.id}`)).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it('parks a transient failure in the delayed set for its backoff, then completes it', async () => {
    const video = await newVideo();
    const starts: number[] = [];
    const worker = await startStepWorker(
      {
        'analyze:flaky': async () => {
          starts.push(Date.now());
          if (starts.length === 1) throw new Error('connection reset');
          return { status: 'completed' };
        },
      },
      quiet,
    );
    try {
      const step = await enqueueStep(video.id, 'analyze:flaky');
      await waitFor(async () => (await redis.zscore(`${PREFIX}:steps:delayed`, step.id)) !== null);
      expect(await finished(step.id)).toMatchObject({ status: 'completed', attempts: 2 });
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
    } finally {
      await worker.stop();
    }
  });

  it('runs a step that waits for another one after it, without using an attempt', async () => {
    const video = await newVideo();
    await db.step.create({ data: { videoId: video.id, kind: 'ingest', status: 'completed', finishedAt: new Date() } });
    const order: string[] = [];
    const worker = await startStepWorker(
      {
        'analyze:face_tracking_yolov8': async () => {
          await new Promise((r) => setTimeout(r, 1500));
          order.push('face_tracking');
          return { status: 'completed' };
        },
        'analyze:active_speaker': async () => {
          order.push('active_speaker');
          return { status: 'completed' };
        },
      },
      quiet,
    );
    try {
      const faces = await enqueueStep(video.id, 'analyze:face_tracking_yolov8');
      const speaker = await enqueueStep(video.id, 'analyze:active_speaker');
      expect(await finished(speaker.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(await finished(faces.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(order).toEqual(['face_tracking', 'active_speaker']);
    } finally {
      await worker.stop();
    }
  });

  it('hands a running step back when the worker stops, and the next worker completes it', async () => {
    const video = await newVideo();
    const first = await startStepWorker(
      {
        'analyze:long': ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
      },
      quiet,
    );
    const step = await enqueueStep(video.id, 'analyze:long');
    await waitFor(async () => (await db.step.findUnique({ where: { id: step.id } }))?.status === 'running');
    await first.stop();
    expect(await db.step.findUnique({ where: { id: step.id } })).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });

    const second = await startStepWorker({ 'analyze:long': async () => ({ status: 'completed' }) }, quiet);
    try {
      expect(await finished(step.id)).toMatchObject({ status: 'completed', attempts: 1 });
    } finally {
      await second.stop();
    }
  });
});
