// Test support for step handlers: a fresh SQLite database and data folder for this test file, and
// `ingestFile` which stores a media file and runs the real ingest handler on it, so analysis handlers
// can then be run on a properly ingested video. Import it before any app module (it sets the env).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useDatabase } from '../../../e2e/support/use-database';
import type { StepContext, StepHandler, StepOutcome } from '../step-handler';

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-handlers-'));
export const cleanupDatabase = await useDatabase('sqlite');

const { db } = await import('../../../server/db');
const { storage, videoKeys } = await import('../../../server/repositories/storage');
const { createAccountWithGrant } = await import('../../../server/repositories/accounts.repository');
const { ingestHandler } = await import('./ingest.worker');

/** Runs a handler the way the worker does, recording its progress reports. */
export async function runHandler(handler: StepHandler, videoId: string, kind: string, params: unknown = {}) {
  const progress: number[] = [];
  const ctx: StepContext = {
    step: { id: `test-${kind}`, kind, videoId, params, attempt: 1, maxAttempts: 1 },
    storage,
    signal: new AbortController().signal,
    progress: (f) => progress.push(f),
  };
  const outcome: StepOutcome = await handler(ctx);
  return { outcome, progress };
}

export async function ingestFile(file: string): Promise<string> {
  const account = await createAccountWithGrant(`${Math.random()}@handlers.test`, null, 0);
  const video = await db.video.create({ data: { accountId: account.id, sourceType: 'upload', sourceName: path.basename(file) } });
  const key = videoKeys.source(video.id, path.extname(file).slice(1) || 'mp4');
  await storage.write(key, fs.readFileSync(file));
  const { outcome } = await runHandler(ingestHandler, video.id, 'ingest', { sourceKey: key });
  if (outcome.status !== 'completed') throw new Error(`ingest failed: ${JSON.stringify(outcome)}`);
  return video.id;
}

export async function readResult<T>(videoId: string, model: string): Promise<T> {
  return JSON.parse((await storage.read(videoKeys.result(videoId, model))).toString('utf8')) as T;
}

export const MEDIA = path.resolve(import.meta.dirname, '../../../../shared/media');
