// Scale-out mode for real: PostgreSQL (a fresh database on 127.0.0.1:5432), BullMQ on the machine's
// Redis (a unique key prefix), S3 storage on a loopback s3rver; the web process runs no steps and two
// `npm run worker` processes share the work. Every step runs once; results and outputs live in the
// bucket and download with ranges. Faults: a worker SIGKILLed mid-analysis and another mid-render —
// the step is retried by a live worker and completes, no partial output is ever visible, the job's
// credits are charged once and the balance is the sum of the ledger.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases';
import { makeClip } from '../support/media';
import { startS3Server, type TestS3 } from '../support/s3-server';
import { startTestServer, startTestWorker, type TestServer, type TestWorker } from '../support/test-server';
import { client, finished, httpFetch, localServer, sendFile, waitUntil, type Client, type LocalServer } from './helpers';

const CONVERSATION = path.resolve(import.meta.dirname, '../../../shared/media/conversation/two-people-still-listener.mp4');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `reframe-test-${randomBytes(4).toString('hex')}`;

let server: TestServer;
let s3: TestS3;
let s3Client: S3Client;
let dropDatabase: () => Promise<void>;
let sql: pg.Client;
let api: Client;
let apiKey: string;
let files: LocalServer;
const workers: TestWorker[] = [];

const startWorker = async () => {
  const worker = await startTestWorker(server, { WORKER_CONCURRENCY: '1' });
  workers.push(worker);
  return worker;
};

interface StepRow {
  id: string;
  videoId: string;
  kind: string;
  status: string;
  attempts: number;
  progress: number;
  lockedBy: string | null;
}
const stepsOf = async (videoId: string) =>
  (
    await sql.query<StepRow>('SELECT id, "videoId", kind, status, attempts, progress, "lockedBy" FROM steps WHERE "videoId" = $1', [
      videoId,
    ])
  ).rows;

/** Step ids each worker's log says it completed ("[worker] <kind> <id> completed"). */
const completedBy = (worker: TestWorker) => [...worker.output().matchAll(/^\[worker\] \S+ (\S+) completed$/gm)].map((m) => m[1]!);

const objectSize = async (key: string) => {
  try {
    return (await s3Client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ContentLength ?? 0;
  } catch {
    return null;
  }
};
const objectBytes = async (key: string) =>
  Buffer.from(await (await s3Client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))).Body!.transformToByteArray());

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const database = await createPostgresDatabase();
  dropDatabase = database.drop;
  sql = new pg.Client({ connectionString: database.url });
  s3 = await startS3Server();
  s3Client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  server = await startTestServer({
    DATABASE_URL: database.url,
    QUEUE: 'bullmq',
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    ...s3.env,
  });
  await sql.connect();
  await Promise.all([startWorker(), startWorker()]);
  apiKey = await server.createKey('scale@example.com');
  api = client(server, apiKey);
  files = await localServer((req, res) => {
    if (req.url === '/conversation.mp4') return sendFile(res, fs.readFileSync(CONVERSATION));
    res.writeHead(404).end();
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await server?.stop();
  await files?.close();
  await sql?.end();
  await dropDatabase?.();
  await s3?.close();
  // Leaves the shared Redis as it was: every key under this test's prefix goes.
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('scale-out: PostgreSQL + BullMQ + S3 with two worker processes', () => {
  it('the web process runs no steps: it says so at start', () => {
    expect(server.output()).toMatch(/worker: none · queue: bullmq · storage: s3/);
  });

  it('two workers share the steps of several videos, each step runs once, results live in the bucket', async () => {
    const videoIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await api.upload(fs.readFileSync(makeClip(`scale-${i}.mp4`, 3 + i)), `scale-${i}.mp4`);
      expect(res.status, res.text).toBe(202);
      videoIds.push(res.body.video_id);
    }
    for (const id of videoIds) expect(await waitUntil(api, id, finished, 'ingest', 120_000)).toMatchObject({ status: 'completed' });
    for (const id of videoIds) {
      const res = await api.postJson('/api/v2/analyze', { video_id: id, model_type: 'scene_detection' });
      expect(res.status, res.text).toBe(202);
    }
    for (const id of videoIds) {
      expect(await waitUntil(api, id, finished, 'analyze:scene_detection', 120_000)).toMatchObject({ status: 'completed' });
    }

    const steps: StepRow[] = [];
    for (const id of videoIds) steps.push(...(await stepsOf(id)));
    expect(steps).toHaveLength(8);
    expect(steps.map((s) => [s.status, s.attempts])).toEqual(Array(8).fill(['completed', 1]));
    const [a, b] = workers.map(completedBy);
    for (const s of steps)
      expect(
        [...a!, ...b!].filter((id) => id === s.id),
        `${s.kind} ${s.id}`,
      ).toHaveLength(1);
    expect(a!.length).toBeGreaterThan(0);
    expect(b!.length).toBeGreaterThan(0);

    for (const [i, id] of videoIds.entries()) {
      const result = await api.get(`/api/v2/videos/${id}/results/scene_detection`);
      expect(result.status).toBe(200);
      expect(result.body.total_frames).toBe((3 + i) * 25);
      expect(await objectSize(`videos/${id}/results/scene_detection.json`)).toBeGreaterThan(0);
      expect(await objectSize(`videos/${id}/source.mp4`)).toBe(fs.statSync(makeClip(`scale-${i}.mp4`, 3 + i)).size);
    }
    expect(fs.existsSync(path.join(server.dataDir, 'videos'))).toBe(false);

    // A rendered output downloads from the bucket, whole and as a byte range.
    const res = await api.postJson('/api/v2/transform', { video_id: videoIds[3], transform_type: 'reframe' });
    expect(res.status, res.text).toBe(202);
    expect(await waitUntil(api, videoIds[3]!, finished, 'transform:reframe', 180_000)).toMatchObject({ status: 'completed' });
    const stored = await objectBytes(`videos/${videoIds[3]}/outputs/reframe.mp4`);
    const auth = { authorization: `Bearer ${apiKey}` };
    const ranged = await httpFetch(`${server.url}/api/v2/download/${videoIds[3]}?suffix=_reframe`, {
      headers: { ...auth, range: 'bytes=100-1099' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-1099/${stored.length}`);
    expect(ranged.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await ranged.arrayBuffer()).equals(stored.subarray(100, 1100))).toBe(true);
    const whole = await httpFetch(`${server.url}/api/v2/download/${videoIds[3]}?suffix=_reframe`, { headers: auth });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(stored.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(stored)).toBe(true);
    const ledger = (await api.get('/api/v2/account')).body.ledger as { reason: string; amount: number }[];
    expect(ledger.filter((e) => e.reason !== 'signup_grant').map((e) => [e.reason, e.amount])).toEqual([['video_download', -6]]);
  }, 600_000);

  it('a worker stopped with SIGTERM mid-analysis hands its step back at once, without using an attempt', async () => {
    const res = await api.upload(fs.readFileSync(CONVERSATION), 'conversation.mp4');
    expect(res.status, res.text).toBe(202);
    const videoId = res.body.video_id as string;
    expect(await waitUntil(api, videoId, finished, 'ingest', 120_000)).toMatchObject({ status: 'completed' });
    expect((await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'face_tracking_yolov8' })).status).toBe(202);
    const step = await until('face tracking running', async () =>
      (await stepsOf(videoId)).find(
        (s) => s.kind === 'analyze:face_tracking_yolov8' && s.status === 'running' && s.progress > 0 && s.lockedBy,
      ),
    );
    const victim = workers.find((w) => w.id === step.lockedBy)!;
    const stoppedAt = Date.now();
    await victim.stop('SIGTERM');
    expect(victim.process.exitCode).toBe(0);
    expect(victim.output()).toContain(`worker ${victim.id} stopping (SIGTERM)`);
    const after = (await stepsOf(videoId)).find((s) => s.id === step.id)!;
    expect(after.lockedBy).not.toBe(victim.id);
    await startWorker();
    expect(await waitUntil(api, videoId, finished, 'analyze:face_tracking_yolov8', 120_000)).toMatchObject({
      status: 'completed',
      attempts: 1,
    });
    console.log(`SIGTERM to completion elsewhere: ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
    expect(completedBy(victim)).not.toContain(step.id);
  }, 300_000);

  it('a worker killed mid-analysis and one killed mid-render: retried elsewhere, no partial output, charged once', async () => {
    // An account of its own, so that its ledger holds this job alone.
    const ownKey = await server.createKey('faults@example.com');
    const own = client(server, ownKey);
    const created = await own.postJson('/api/v2/reframe', { url: `${files.origin}/conversation.mp4` });
    expect(created.status, created.text).toBe(202);
    const { job_id: jobId, video_id: videoId } = created.body as { job_id: string; video_id: string };
    const recoveries: { kind: string; ms: number }[] = [];
    // From the start until the job ends (both kills included), the output is either absent or whole: never a partial file.
    const outputKey = `videos/${videoId}/outputs/reframe.mp4`;
    const sizesSeen: { size: number; at: number }[] = [];
    let done = false;
    const watching = (async () => {
      while (!done) {
        const size = await objectSize(outputKey);
        if (size !== null) sizesSeen.push({ size, at: Date.now() });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const kill = async (kind: string, minProgress: number) => {
      const step = await until(`${kind} running`, async () =>
        (await stepsOf(videoId)).find((s) => s.kind === kind && s.status === 'running' && s.progress >= minProgress && s.lockedBy),
      );
      const victim = workers.find((w) => w.id === step.lockedBy);
      expect(victim, `${step.lockedBy} is one of ours`).toBeDefined();
      await victim!.stop('SIGKILL');
      const killedAt = Date.now();
      // BullMQ gives the dead worker's job to a live one once its lock lapses (10 s) and a stalled check runs (5 s).
      await until(`${kind} taken over`, async () => {
        const row = (await stepsOf(videoId)).find((s) => s.id === step.id)!;
        return row.status === 'completed' || (row.status === 'running' && row.lockedBy !== victim!.id);
      });
      recoveries.push({ kind, ms: Date.now() - killedAt });
      return { step, victim: victim! };
    };

    const analysis = await kill('analyze:face_tracking_yolov8', 0.05);
    await startWorker();
    const render = await kill('transform:reframe', 0.2);
    await startWorker();

    const job = await until(
      'the job to end',
      async () => {
        const res = await own.get(`/api/v2/reframe/${jobId}`);
        return res.body?.status !== 'processing' && res.body;
      },
      300_000,
    );
    done = true;
    await watching;
    expect(job).toMatchObject({ status: 'completed', credits_charged: 22 });

    const steps = await stepsOf(videoId);
    for (const killed of [analysis, render]) {
      const row = steps.find((s) => s.id === killed.step.id)!;
      expect(row).toMatchObject({ status: 'completed', attempts: 2 });
      expect(completedBy(killed.victim)).not.toContain(row.id);
      expect(workers.filter((w) => completedBy(w).includes(row.id))).toHaveLength(1);
    }
    console.log(`taken over after SIGKILL: ${recoveries.map((r) => `${r.kind} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}`);
    for (const r of recoveries) expect(r.ms).toBeLessThan(40_000);
    for (const s of steps)
      expect(
        workers.flatMap(completedBy).filter((id) => id === s.id),
        `${s.kind} ran once`,
      ).toHaveLength(1);

    const finalSize = (await objectSize(outputKey))!;
    expect(finalSize).toBeGreaterThan(10_000);
    // s3rver writes an object's file in place, so a HEAD during the one final upload may see it growing
    // (S3 and MinIO show an object only once it is whole). A killed render's partial output would be a
    // size seen long before the final one, or a different size after it: neither may happen.
    const firstWhole = sizesSeen.findIndex((s) => s.size === finalSize);
    expect(firstWhole).toBeGreaterThanOrEqual(0);
    expect(sizesSeen.slice(firstWhole).every((s) => s.size === finalSize)).toBe(true);
    const growing = sizesSeen.slice(0, firstWhole);
    expect(growing.every((s, i) => i === 0 || s.size >= growing[i - 1]!.size)).toBe(true);
    expect(growing.every((s) => sizesSeen[firstWhole]!.at - s.at < 3_000)).toBe(true);

    // Downloading the job's output does not charge again; the balance is the ledger's sum.
    const download = await httpFetch(`${server.url}${job.download_url}`, { headers: { authorization: `Bearer ${ownKey}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(finalSize);
    const account = await own.get('/api/v2/account');
    const charges = account.body.ledger.filter((e: { reason: string }) => e.reason !== 'signup_grant');
    expect(charges.map((e: { reason: string; amount: number }) => [e.reason, e.amount])).toEqual([['reframe_job', -22]]);
    expect(account.body.balance).toBe(account.body.ledger.reduce((sum: number, e: { amount: number }) => sum + e.amount, 0));
    const { rows } = await sql.query<{ sum: string }>(
      'SELECT SUM(e.amount)::text AS sum FROM credit_entries e JOIN accounts a ON a.id = e."accountId" WHERE a.email = $1',
      ['faults@example.com'],
    );
    expect(Number(rows[0]!.sum)).toBe(account.body.balance);
  }, 600_000);
});
