// The worker loop on a real SQLite database, with handlers defined here for the test's own step
// kinds: completion, user-facing failure (returned or thrown), retries with backoff, timeout, bounded concurrency, and
// recovery of steps whose worker died (restart recovery).
import { afterAll, describe, expect, it } from 'vitest';
import { useDatabase } from '../../e2e/support/use-database';
import type { StepHandler } from './step-handler';

const cleanup = await useDatabase('sqlite');
afterAll(cleanup);

const { db } = await import('../../server/db');
const { StepRunner } = await import('./step-runner');
const { enqueueStep } = await import('../../server/jobs/enqueue-step');
const { createAccountWithGrant } = await import('../../server/repositories/accounts.repository');
const { AppError } = await import('../../server/contracts/errors');

async function newVideo() {
  const account = await createAccountWithGrant(`${Math.random()}@x.test`, null, 0);
  return db.video.create({ data: { accountId: account.id, sourceType: 'upload' } });
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
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

describe('StepRunner', () => {
  it('runs a step to completion with progress and result, and a failure with its code', async () => {
    const video = await newVideo();
    const handlers: Record<string, StepHandler> = {
      'analyze:ok': async ({ progress }) => {
        progress(0.5);
        await new Promise((r) => setTimeout(r, 1500));
        return { status: 'completed', resultKey: 'videos/x/results/ok.json' };
      },
      'analyze:bad': async () => ({ status: 'failed', code: 'unsupported_media', message: 'No video stream.' }),
    };
    const runner = new StepRunner({ handlers, concurrency: 2, log: () => undefined });
    await runner.start();
    try {
      const ok = await enqueueStep(video.id, 'analyze:ok');
      const bad = await enqueueStep(video.id, 'analyze:bad');
      const midway = await waitFor(async () => {
        const s = await db.step.findUnique({ where: { id: ok.id } });
        return s?.status === 'running' && s.progress === 0.5 ? s : null;
      });
      expect(midway.attempts).toBe(1);
      expect(await finished(ok.id)).toMatchObject({
        status: 'completed',
        progress: 1,
        resultKey: 'videos/x/results/ok.json',
        lockedBy: null,
      });
      expect(await finished(bad.id)).toMatchObject({
        status: 'failed',
        errorCode: 'unsupported_media',
        errorMessage: 'No video stream.',
        attempts: 1,
      });
    } finally {
      await runner.stop();
    }
  });

  it('retries a throwing handler with backoff, then fails it with internal_error', async () => {
    const video = await newVideo();
    const times: number[] = [];
    const runner = new StepRunner({
      handlers: { 'analyze:flaky': async () => (times.push(Date.now()), Promise.reject(new Error('disk hiccup'))) },
      log: () => undefined,
    });
    await runner.start();
    try {
      const step = await enqueueStep(video.id, 'analyze:flaky');
      const done = await waitFor(async () => {
        const s = await db.step.findUnique({ where: { id: step.id } });
        return s?.status === 'failed' ? s : null;
      }, 20_000);
      expect(done).toMatchObject({ attempts: 3, errorCode: 'internal_error' });
      expect(done.errorMessage).not.toContain('disk hiccup');
      expect(times).toHaveLength(3);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1900);
    } finally {
      await runner.stop();
    }
  });

  it('keeps the code of a thrown user-facing error (storage_full) once the retries are spent', async () => {
    const video = await newVideo();
    let calls = 0;
    const runner = new StepRunner({
      handlers: {
        'analyze:full': async () => {
          calls++;
          throw new AppError('storage_full', 'The server has run out of storage space; nothing was stored. Try again later.');
        },
      },
      log: () => undefined,
    });
    await runner.start();
    try {
      const step = await enqueueStep(video.id, 'analyze:full');
      const done = await waitFor(async () => {
        const s = await db.step.findUnique({ where: { id: step.id } });
        return s?.status === 'failed' ? s : null;
      }, 20_000);
      expect(done).toMatchObject({
        attempts: 3,
        errorCode: 'storage_full',
        errorMessage: 'The server has run out of storage space; nothing was stored. Try again later.',
      });
      expect(calls).toBe(3);
    } finally {
      await runner.stop();
    }
  });

  it('a transient failure that then succeeds completes on the next attempt', async () => {
    const video = await newVideo();
    let calls = 0;
    const runner = new StepRunner({
      handlers: { 'analyze:once': async () => (++calls === 1 ? Promise.reject(new Error('x')) : { status: 'completed' }) },
      log: () => undefined,
    });
    await runner.start();
    try {
      const step = await enqueueStep(video.id, 'analyze:once');
      expect(await finished(step.id)).toMatchObject({ status: 'completed', attempts: 2 });
    } finally {
      await runner.stop();
    }
  });

  it('aborts a step that exceeds the timeout and reports it', async () => {
    const video = await newVideo();
    const runner = new StepRunner({
      handlers: {
        'analyze:slow': ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
      timeoutMs: 300,
      log: () => undefined,
    });
    await runner.start();
    try {
      const step = await db.step.create({ data: { videoId: video.id, kind: 'analyze:slow', maxAttempts: 1 } });
      expect(await finished(step.id)).toMatchObject({ status: 'failed', errorCode: 'timeout' });
    } finally {
      await runner.stop();
    }
  });

  it('never runs more steps at once than its concurrency', async () => {
    let active = 0;
    let peak = 0;
    const runner = new StepRunner({
      handlers: {
        'analyze:busy': async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 150));
          active--;
          return { status: 'completed' };
        },
      },
      concurrency: 2,
      log: () => undefined,
    });
    const steps = [];
    for (let i = 0; i < 6; i++) steps.push(await enqueueStep((await newVideo()).id, 'analyze:busy'));
    await runner.start();
    try {
      for (const s of steps) expect((await finished(s.id)).status).toBe('completed');
      expect(peak).toBe(2);
    } finally {
      await runner.stop();
    }
  });

  it('puts back steps held by a dead worker process and runs them (restart recovery)', async () => {
    const video = await newVideo();
    const { hostname } = await import('node:os');
    const dead = await db.step.create({
      data: {
        videoId: video.id,
        kind: 'analyze:resume',
        status: 'running',
        attempts: 1,
        lockedBy: `${hostname()}:999999`,
        lockedAt: new Date(),
        startedAt: new Date(),
      },
    });
    const staleOther = await db.step.create({
      data: {
        videoId: video.id,
        kind: 'analyze:stale',
        status: 'running',
        attempts: 1,
        lockedBy: 'other-host:1',
        lockedAt: new Date(Date.now() - 120_000),
      },
    });
    const liveOther = await db.step.create({
      data: { videoId: video.id, kind: 'analyze:live', status: 'running', attempts: 1, lockedBy: 'other-host:2', lockedAt: new Date() },
    });
    const done: StepHandler = async () => ({ status: 'completed' });
    const runner = new StepRunner({
      handlers: { 'analyze:resume': done, 'analyze:stale': done, 'analyze:live': done },
      log: () => undefined,
    });
    await runner.start();
    try {
      expect(await finished(dead.id)).toMatchObject({ status: 'completed', attempts: 2 });
      expect(await finished(staleOther.id)).toMatchObject({ status: 'completed', attempts: 2 });
      expect(await db.step.findUnique({ where: { id: liveOther.id } })).toMatchObject({ status: 'running', lockedBy: 'other-host:2' });
    } finally {
      await runner.stop();
    }
  });

  it('hands a running step back to the queue on shutdown without using up an attempt', async () => {
    const video = await newVideo();
    const runner = new StepRunner({
      handlers: {
        'analyze:long': ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
      log: () => undefined,
    });
    await runner.start();
    const step = await enqueueStep(video.id, 'analyze:long');
    await waitFor(async () => (await db.step.findUnique({ where: { id: step.id } }))?.status === 'running');
    await runner.stop();
    expect(await db.step.findUnique({ where: { id: step.id } })).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('holds a step back until the step it builds on is done, without using an attempt', async () => {
    const video = await newVideo();
    await db.step.create({ data: { videoId: video.id, kind: 'ingest', status: 'completed', finishedAt: new Date() } });
    const events: string[] = [];
    const runner = new StepRunner({
      handlers: {
        'analyze:face_tracking_yolov8': async () => {
          await new Promise((r) => setTimeout(r, 2500));
          events.push('faces done');
          return { status: 'completed' };
        },
        'analyze:active_speaker': async () => (events.push('speaker ran'), { status: 'completed' }),
      },
      concurrency: 2,
      log: () => undefined,
    });
    await runner.start();
    try {
      const faces = await enqueueStep(video.id, 'analyze:face_tracking_yolov8');
      const speaker = await enqueueStep(video.id, 'analyze:active_speaker');
      expect(await finished(speaker.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(await finished(faces.id)).toMatchObject({ status: 'completed' });
      expect(events).toEqual(['faces done', 'speaker ran']);
    } finally {
      await runner.stop();
    }
  });

  it('fails a step whose required dependency failed, naming it', async () => {
    const video = await newVideo();
    await db.step.create({ data: { videoId: video.id, kind: 'ingest', status: 'completed', finishedAt: new Date() } });
    await db.step.create({
      data: {
        videoId: video.id,
        kind: 'analyze:face_tracking_yolov8',
        status: 'failed',
        errorCode: 'x',
        errorMessage: 'No faces decoded.',
      },
    });
    const runner = new StepRunner({ handlers: { 'analyze:active_speaker': async () => ({ status: 'completed' }) }, log: () => undefined });
    await runner.start();
    try {
      const speaker = await enqueueStep(video.id, 'analyze:active_speaker');
      expect(await finished(speaker.id)).toMatchObject({
        status: 'failed',
        errorCode: 'missing_dependency',
        errorMessage: expect.stringContaining('face_tracking_yolov8, which failed: No faces decoded.'),
      });
    } finally {
      await runner.stop();
    }
  });

  it('carries on a one-shot job whose follow-up was lost, charging it once', { timeout: 60_000 }, async () => {
    const account = await createAccountWithGrant(`${Math.random()}@x.test`, null, 100);
    const video = await db.video.create({ data: { accountId: account.id, sourceType: 'url', duration: 12.7 } });
    await db.step.create({ data: { videoId: video.id, kind: 'ingest', status: 'completed', finishedAt: new Date() } });
    const job = await db.reframeJob.create({
      data: {
        accountId: account.id,
        videoId: video.id,
        status: 'processing',
        params: JSON.stringify({ url: 'https://example.com/a.mp4' }),
      },
    });
    const ran: unknown[] = [];
    const order: string[] = [];
    const analysis: StepHandler = async ({ step }) => (order.push(step.kind), { status: 'completed' });
    // Two faces on screen together: the reframe then needs to know who speaks.
    const faces = {
      tracks: [
        { first_seen: 0, last_seen: 10 },
        { first_seen: 2, last_seen: 12 },
      ],
    };
    const runner = new StepRunner({
      handlers: {
        'analyze:scene_detection': analysis,
        'analyze:face_tracking_yolov8': async (ctx) => {
          await ctx.storage.write(`videos/${ctx.step.videoId}/results/face_tracking_yolov8.json`, JSON.stringify(faces));
          return analysis(ctx);
        },
        'analyze:active_speaker': analysis,
        'transform:reframe': async ({ step }) => (ran.push(step.params), { status: 'completed' }),
      },
      log: () => undefined,
    });
    await runner.start();
    try {
      const done = await waitFor(async () => {
        const j = await db.reframeJob.findUnique({ where: { id: job.id } });
        return j?.status === 'completed' ? j : null;
      }, 40_000);
      expect(done.creditsCharged).toBe(12);
      // The transform started the analyses it needs, each after the one it builds on.
      expect(order).toEqual(['analyze:scene_detection', 'analyze:face_tracking_yolov8', 'analyze:active_speaker']);
      expect(ran).toEqual([expect.objectContaining({ aspect_ratio: '9:16', auto_analyze: true })]);
      const entries = await db.creditEntry.findMany({ where: { accountId: account.id } });
      expect(entries.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-12, 100]);
    } finally {
      await runner.stop();
    }
  });
});
