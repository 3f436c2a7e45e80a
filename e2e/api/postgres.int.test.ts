// The same service on PostgreSQL (DATABASE_URL=postgresql://…): migrations applied at start, an
// upload ingested by the embedded worker, a download charged once — the schema works on both.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases';
import { makeClip } from '../support/media';
import { startTestServer, waitForStep, type TestServer } from '../support/test-server';

let server: TestServer;
let drop: () => Promise<void>;
let key: string;

beforeAll(async () => {
  const database = await createPostgresDatabase();
  drop = database.drop;
  server = await startTestServer({ DATABASE_URL: database.url });
  key = await server.createKey('pg@example.com');
});
afterAll(async () => {
  await server?.stop();
  await drop?.();
});

describe('service on PostgreSQL', () => {
  it('ingests an upload, reports metadata and charges a download once', async () => {
    const form = new FormData();
    form.set('file', new Blob([fs.readFileSync(makeClip('pg.mp4', 3))]), 'pg.mp4');
    const res = await fetch(`${server.url}/api/v2/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(res.status).toBe(202);
    const { video_id } = (await res.json()) as { video_id: string };
    expect(await waitForStep(server, key, video_id)).toMatchObject({ status: 'completed' });

    const video = (await (await fetch(`${server.url}/api/v2/videos/${video_id}`, { headers: { 'x-api-key': key } })).json()) as Record<
      string,
      unknown
    >;
    expect(video).toMatchObject({ duration: 3, fps: 25, frames: 75, width: 320, height: 240, video_codec: 'h264', audio_codec: 'aac' });

    const outputs = path.join(server.dataDir, 'videos', video_id, 'outputs');
    fs.mkdirSync(outputs, { recursive: true });
    fs.writeFileSync(path.join(outputs, 'reframe_path.json'), '{"scenes":[]}');
    const downloads = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${server.url}/api/v2/download/${video_id}?suffix=_reframe_path`, { headers: { 'x-api-key': key } }),
      ),
    );
    expect(downloads.map((d) => d.status)).toEqual(Array(8).fill(200));
    const account = (await (await fetch(`${server.url}/api/v2/account`, { headers: { 'x-api-key': key } })).json()) as {
      balance: number;
      ledger: { amount: number; reason: string }[];
    };
    expect(account.balance).toBe(297);
    expect(account.ledger.map((e) => [e.reason, e.amount])).toEqual([
      ['video_download', -3],
      ['signup_grant', 300],
    ]);
  });
});
