// The dashboard's session-authenticated endpoints over plain HTTP against the real server: the upload
// (cookie + the X-Reframe-Upload header, else 401/400), the thumbnail written at ingest, the source
// streamed with Range for the players, the output download refused until the video is paid
// (videos.purchase charges once), and another account's video answering 404 everywhere.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForStep, type TestServer } from '../support/test-server';

const MEDIA = '/work/shared/media/talking/talking-head-2.mp4';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function signUp(email: string): Promise<string> {
  const res = await fetch(`${server.url}/api/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough password' }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

function upload(cookie: string | undefined, headers: Record<string, string> = { 'x-reframe-upload': '1' }) {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(MEDIA)], { type: 'video/mp4' }), 'talking-head-2.mp4');
  return fetch(`${server.url}/api/dashboard/upload`, { method: 'POST', body, headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

async function trpcMutation(cookie: string, procedure: string, input: unknown) {
  const res = await fetch(`${server.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { result?: { data: unknown }; error?: { message: string } } };
}

describe('dashboard upload and media', () => {
  it(
    'uploads with the session, serves the thumbnail and the source with Range, gates the download on payment',
    { timeout: 180_000 },
    async () => {
      const cookie = await signUp(`media-${process.pid}@example.com`);
      expect((await upload(undefined)).status).toBe(401);
      expect((await upload(cookie, {})).status).toBe(400);

      const res = await upload(cookie);
      expect(res.status).toBe(202);
      const { video_id: videoId } = (await res.json()) as { video_id: string };
      const key = await server.createKey(`media-${process.pid}@example.com`);
      expect((await waitForStep(server, key, videoId)).status).toBe('completed');

      const thumb = await fetch(`${server.url}/media/${videoId}/thumbnail`, { headers: { cookie } });
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/jpeg');
      const jpeg = Buffer.from(await thumb.arrayBuffer());
      expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');

      const part = await fetch(`${server.url}/media/${videoId}/source`, { headers: { cookie, range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-99/${fs.statSync(MEDIA).size}`);
      expect((await part.arrayBuffer()).byteLength).toBe(100);

      expect((await fetch(`${server.url}/media/${videoId}/source`)).status).toBe(401);
      const stranger = await signUp(`stranger-${process.pid}@example.com`);
      expect((await fetch(`${server.url}/media/${videoId}/thumbnail`, { headers: { cookie: stranger } })).status).toBe(404);

      expect((await fetch(`${server.url}/media/${videoId}/reframe`, { headers: { cookie } })).status).toBe(404);
      const started = await trpcMutation(cookie, 'videos.transform', { id: videoId, transform_type: 'reframe' });
      expect(started.status).toBe(200);
      expect((await waitForStep(server, key, videoId, 'transform:reframe', 120_000)).status).toBe('completed');

      const preview = await fetch(`${server.url}/media/${videoId}/reframe`, { headers: { cookie } });
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-disposition')).toMatch(/^inline/);
      expect((await fetch(`${server.url}/media/${videoId}/reframe?download=1`, { headers: { cookie } })).status).toBe(402);

      const purchase = await trpcMutation(cookie, 'videos.purchase', { id: videoId });
      expect(purchase.body.result?.data).toEqual({ charged: 5, balance: 295 });
      const again = await trpcMutation(cookie, 'videos.purchase', { id: videoId });
      expect(again.body.result?.data).toEqual({ charged: 0, balance: 295 });
      const download = await fetch(`${server.url}/media/${videoId}/reframe?download=1`, { headers: { cookie } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${videoId}_reframe.mp4"`);
      expect((await trpcMutation(stranger, 'videos.purchase', { id: videoId })).status).toBe(404);
    },
  );
});

describe('dashboard retry', () => {
  it('queues a failed ingest again through videos.retry, and refuses to retry a step that did not fail', async () => {
    const cookie = await signUp(`retry-${process.pid}@example.com`);
    const body = new FormData();
    body.append('file', new Blob(['not a video at all\n'.repeat(50)], { type: 'video/mp4' }), 'fake.mp4');
    const res = await fetch(`${server.url}/api/dashboard/upload`, { method: 'POST', body, headers: { cookie, 'x-reframe-upload': '1' } });
    const { video_id: videoId } = (await res.json()) as { video_id: string };
    const key = await server.createKey(`retry-${process.pid}@example.com`);
    expect((await waitForStep(server, key, videoId)).status).toBe('failed');

    const retried = await trpcMutation(cookie, 'videos.retry', { id: videoId, step: 'ingest' });
    expect(retried.body.result?.data).toEqual({ video_id: videoId, step: 'ingest', status: 'queued' });
    const failedAgain = await waitForStep(server, key, videoId);
    expect(failedAgain).toMatchObject({ status: 'failed', error: { code: 'unsupported_media' } });

    const missing = await trpcMutation(cookie, 'videos.retry', { id: videoId, step: 'analyze:scene_detection' });
    expect(missing.status).toBe(404);
  });
});
