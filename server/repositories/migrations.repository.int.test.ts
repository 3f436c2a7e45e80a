// The migrator on real SQLite and PostgreSQL: applies every file once, is a no-op the second time,
// refuses an edited migration, and leaves a schema the Prisma client can use for every model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, tempSqliteUrl } from '../../e2e/support/databases';
import { createDb } from '../db';
import { applyMigrations, readMigrations } from './migrations.repository';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

async function exerciseEveryModel(url: string) {
  const db = createDb(url);
  try {
    const account = await db.account.create({ data: { email: `${Date.now()}@x.test`, passwordHash: 'h' } });
    await db.session.create({ data: { accountId: account.id, tokenHash: `t${Date.now()}`, expiresAt: new Date() } });
    await db.apiKey.create({ data: { accountId: account.id, name: 'k', prefix: 'sk-abc', secretHash: `s${Date.now()}` } });
    await db.creditEntry.create({ data: { accountId: account.id, amount: 300, reason: 'signup_grant', idempotencyKey: `g${account.id}` } });
    const video = await db.video.create({
      data: { accountId: account.id, sourceType: 'upload', sizeBytes: 3n * 1024n ** 3n, duration: 12.5, fps: 29.97, frames: 375 },
    });
    await db.step.create({ data: { videoId: video.id, kind: 'ingest' } });
    await db.reframeJob.create({ data: { accountId: account.id, videoId: video.id } });
    const back = await db.video.findUniqueOrThrow({ where: { id: video.id }, include: { steps: true, reframeJobs: true } });
    expect(back.sizeBytes).toBe(3n * 1024n ** 3n);
    expect(back.fps).toBeCloseTo(29.97);
    expect(back.steps[0]).toMatchObject({ status: 'queued', progress: 0, attempts: 0, params: '{}' });
    // The partial unique index: one live step per (video, kind); a finished one does not count.
    await expect(db.step.create({ data: { videoId: video.id, kind: 'ingest' } })).rejects.toThrow();
    await db.step.updateMany({ where: { videoId: video.id }, data: { status: 'completed' } });
    await db.step.create({ data: { videoId: video.id, kind: 'ingest' } });
    const sum = await db.creditEntry.aggregate({ where: { accountId: account.id }, _sum: { amount: true } });
    expect(sum._sum.amount).toBe(300);
  } finally {
    await db.$disconnect();
  }
}

describe.each([
  ['sqlite', async () => tempSqliteUrl()],
  [
    'postgresql',
    async () => {
      const database = await createPostgresDatabase();
      drops.push(database.drop);
      return database.url;
    },
  ],
] as const)('migrations on %s', (provider, makeUrl) => {
  it('applies each file once and the schema serves every model', async () => {
    const url = await makeUrl();
    expect(await applyMigrations(url)).toEqual(readMigrations(provider).map((m) => m.name));
    expect(await applyMigrations(url)).toEqual([]);
    await exerciseEveryModel(url);
  });

  it('refuses a migration that was edited after it was applied, and applies new ones', async () => {
    const url = await makeUrl();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.mkdirSync(path.join(root, provider));
    fs.writeFileSync(path.join(root, provider, '0001_a.sql'), 'CREATE TABLE t1 (id INTEGER);');
    expect(await applyMigrations(url, root)).toEqual(['0001_a.sql']);
    fs.writeFileSync(path.join(root, provider, '0002_b.sql'), 'CREATE TABLE t2 (id INTEGER);');
    expect(await applyMigrations(url, root)).toEqual(['0002_b.sql']);
    fs.writeFileSync(path.join(root, provider, '0001_a.sql'), 'CREATE TABLE t1 (id BIGINT);');
    await expect(applyMigrations(url, root)).rejects.toThrow(/0001_a\.sql was changed/);
  });

  it('rolls back a failing migration as a whole', async () => {
    const url = await makeUrl();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.mkdirSync(path.join(root, provider));
    fs.writeFileSync(path.join(root, provider, '0001_ok.sql'), 'CREATE TABLE ok1 (id INTEGER);');
    fs.writeFileSync(path.join(root, provider, '0002_bad.sql'), 'CREATE TABLE ok2 (id INTEGER); CREATE TABLE broken (;');
    await expect(applyMigrations(url, root)).rejects.toThrow();
    fs.writeFileSync(path.join(root, provider, '0002_bad.sql'), 'CREATE TABLE ok2 (id INTEGER);');
    expect(await applyMigrations(url, root)).toEqual(['0001_ok.sql', '0002_bad.sql']);
  });
});
