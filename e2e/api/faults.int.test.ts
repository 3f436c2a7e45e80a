// Faults against the real server: a disk that fills up (DATA_DIR on a 6 MiB tmpfs), a PostgreSQL
// outage of a few seconds (the server talks to the database through a TCP proxy this test cuts), a
// source that ffmpeg stops decoding half-way, and the web server killed during an upload and polls.
// Each ends in a clear code or a retry, nothing partial is left, and the service recovers by itself.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, tempSqliteUrl } from '../support/databases';
import { makeClip, writeFile } from '../support/media';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  client,
  filesUnder,
  finished,
  ingestFile,
  localServer,
  sendFile,
  stopAll,
  waitUntil,
  type Client,
  type LocalServer,
} from './helpers';

const isRoot = process.getuid?.() === 0;
const FULL = { code: 'storage_full', message: 'The server has run out of storage space; nothing was stored. Try again later.' };

let small: Buffer;
let big: Buffer;
let media: LocalServer;

beforeAll(async () => {
  small = fs.readFileSync(makeClip('faults-1s.mp4', 1, { size: '64x64', rate: 5 }));
  big = Buffer.alloc(10 * 1024 * 1024, 3);
  media = await localServer((req, res) => sendFile(res, req.url === '/big.mp4' ? big : small));
});

afterAll(async () => {
  await media?.close();
});

describe.skipIf(!isRoot)('a full disk (DATA_DIR on a 6 MiB tmpfs)', () => {
  let mount: string;
  let server: TestServer;
  let api: Client;

  beforeAll(async () => {
    mount = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mount]);
    // The database lives elsewhere: this is about the storage volume filling up.
    server = await startTestServer({ DATABASE_URL: tempSqliteUrl(), STEP_MAX_ATTEMPTS: '2' }, { dataDir: mount });
    api = client(server, await server.createKey('full@example.com'));
  });

  afterAll(async () => {
    await server?.stop();
    if (mount) {
      execFileSync('umount', [mount]);
      fs.rmSync(mount, { recursive: true, force: true });
    }
  });

  const used = () => Number(execFileSync('df', ['--output=used', '-B1', mount]).toString().split('\n')[1]);

  it('answers an upload larger than the free space with 507 storage_full and keeps no byte of it', async () => {
    const res = await api.upload(big, 'big.mp4');
    expect(res.status, res.text).toBe(507);
    expect(res.body).toEqual({ error: FULL });
    expect(filesUnder(path.join(mount, 'videos'))).toEqual([]);
    expect(used()).toBeLessThan(256 * 1024);
    expect((await api.get('/api/v2/videos')).body.videos).toEqual([]);
  });

  it('fails a URL ingest that fills the disk with storage_full after its retries, keeping nothing', async () => {
    const res = await api.ingestUrl(`${media.origin}/big.mp4`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished, 'ingest', 20_000);
    expect(step).toMatchObject({ status: 'failed', attempts: 2, error: FULL });
    expect(filesUnder(path.join(mount, 'videos'))).toEqual([]);
  });

  it('accepts what fits once space is there again', async () => {
    const { step } = await ingestFile(api, writeFile('faults-small.mp4', small));
    expect(step.status, JSON.stringify(step)).toBe('completed');
  });
});

describe('a PostgreSQL outage of a few seconds (through a TCP proxy)', () => {
  let proxy: TcpProxy;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: TestServer;
  let api: Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    server = await startTestServer({ DATABASE_URL: url.toString() });
    api = client(server, await server.createKey('outage@example.com'));
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 database_unavailable with Retry-After during the outage, and recovers by itself', { timeout: 240_000 }, async () => {
    // Long enough that scene detection is still running when the database goes away, and finishes during the outage.
    const clip = makeClip('faults-pg-20s.mp4', 20, { size: '640x360' });
    const { videoId, step } = await ingestFile(api, writeFile('faults-pg.mp4', fs.readFileSync(clip)));
    expect(step.status).toBe('completed');
    const analyze = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' });
    expect(analyze.status, analyze.text).toBe(202);
    await waitUntil(api, videoId, (s) => s?.status === 'running', 'analyze:scene_detection', 20_000);

    proxy.down();
    const during = await api.get(`/api/v2/status/${videoId}`);
    expect(during.status, during.text).toBe(503);
    expect(during.body).toEqual({
      error: { code: 'database_unavailable', message: 'The database is not reachable right now. Try again in a few seconds.' },
      retry_after: 5,
    });
    expect(during.headers.get('retry-after')).toBe('5');
    const download = await api.get(`/api/v2/download/${videoId}`);
    expect(download.status).toBe(503);
    await new Promise((r) => setTimeout(r, 4_000));
    proxy.up();

    await expect.poll(async () => (await api.get(`/api/v2/status/${videoId}`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    // The step may have thrown during the outage and run again after its backoff: on a busy machine that takes a while.
    const scenes = await waitUntil(api, videoId, finished, 'analyze:scene_detection', 150_000);
    expect(scenes.status, JSON.stringify(scenes)).toBe('completed');
    expect((await api.get(`/api/v2/videos/${videoId}/results/scene_detection`)).status).toBe(200);
    // The worker noticed the outage (its polls failed) and carried on.
    expect(server.output()).toContain('[worker] poll failed');
    // The worker lived through it: a new upload is ingested end to end.
    const again = await ingestFile(api, writeFile('faults-pg-2.mp4', small));
    expect(again.step.status).toBe('completed');
    expect(server.process.exitCode).toBeNull();
  });
});

describe('ffmpeg failing mid-way', () => {
  let server: TestServer;
  let api: Client;

  beforeAll(async () => {
    server = await startTestServer({ STEP_MAX_ATTEMPTS: '2' });
    api = client(server, await server.createKey('midway@example.com'));
  });

  afterAll(async () => {
    await stopAll(server);
  });

  it('fails an analysis whose source breaks off after ingest with a clear code, writing no result', { timeout: 90_000 }, async () => {
    const clip = fs.readFileSync(makeClip('faults-fs-6s.mp4', 6, { size: '160x120', faststart: true }));
    const { videoId, step } = await ingestFile(api, writeFile('faults-fs.mp4', clip));
    expect(step.status).toBe('completed');
    // The stored file loses its second half (a bad disk, a botched restore): ffmpeg decodes, then stops.
    const source = path.join(server.dataDir, 'videos', videoId, 'source.mp4');
    fs.truncateSync(source, Math.floor(clip.length * 0.5));
    expect((await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' })).status).toBe(202);
    const scenes = await waitUntil(api, videoId, finished, 'analyze:scene_detection', 60_000);
    expect(scenes.status, JSON.stringify(scenes)).toBe('failed');
    expect(scenes).toMatchObject({ attempts: 2, error: { code: 'decode_failed' } });
    expect(scenes.error?.message).toMatch(
      /^The video could not be decoded past [0-3] s of 6 s; the stored file is damaged\. Ingest it again\.$/,
    );
    expect(scenes.error?.message).not.toContain(server.dataDir);
    expect(fs.existsSync(path.join(server.dataDir, 'videos', videoId, 'results'))).toBe(false);
  });
});

describe('the web server killed during an upload and polls', () => {
  let dataDir: string;
  const servers: TestServer[] = [];

  afterAll(async () => {
    await stopAll(...servers);
  });

  /** Streams `total` bytes in 64 KiB pieces every 20 ms; resolves with the status or the network error. */
  function slowUpload(url: string, key: string, total: number): Promise<number | Error> {
    const boundary = '----killed';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="long.mp4"\r\ncontent-type: video/mp4\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    return new Promise((resolve) => {
      const req = http.request(`${url}/api/v2/ingest`, {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + total + tail.length,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error) => resolve(error));
      req.write(head);
      let sent = 0;
      const timer = setInterval(() => {
        if (req.destroyed) return void clearInterval(timer);
        const n = Math.min(64 * 1024, total - sent);
        req.write(Buffer.alloc(n, 5));
        sent += n;
        if (sent >= total) {
          clearInterval(timer);
          req.end(tail);
        }
      }, 20);
    });
  }

  it(
    'gives the clients retryable network errors, keeps nothing partial, and serves the same answers after a restart',
    { timeout: 120_000 },
    async () => {
      const first = await startTestServer();
      servers.push(first);
      dataDir = first.dataDir;
      const key = await first.createKey('killed@example.com');
      const api = client(first, key);
      const done = await ingestFile(api, writeFile('faults-restart.mp4', small));
      expect(done.step.status).toBe('completed');
      const before = await api.get(`/api/v2/videos/${done.videoId}`);

      const upload = slowUpload(first.url, key, 20 * 1024 * 1024);
      const polls: (number | string)[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          polls.push(
            await api.get(`/api/v2/status/${done.videoId}`).then(
              (r) => r.status,
              (e: NodeJS.ErrnoException) => e.code ?? 'error',
            ),
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await expect
        .poll(() => filesUnder(path.join(dataDir, 'videos')).some((f) => path.basename(f).startsWith('.tmp-')), { timeout: 10_000 })
        .toBe(true);
      // A poll has been answered before the kill (on a busy machine the first one can take a while).
      await expect.poll(() => polls.includes(200), { timeout: 10_000 }).toBe(true);
      await first.stop('SIGKILL');
      const outcome = await upload;
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as NodeJS.ErrnoException).code).toMatch(/^(ECONNRESET|EPIPE)$/);
      await new Promise((r) => setTimeout(r, 500));

      // The killed upload left only a hidden temp file; an old one is swept when the server starts.
      const temps = filesUnder(path.join(dataDir, 'videos')).filter((f) => path.basename(f).startsWith('.tmp-'));
      expect(temps).toHaveLength(1);
      const old = Date.now() / 1000 - 2 * 3600;
      fs.utimesSync(path.join(dataDir, 'videos', temps[0]!), old, old);

      const second = await startTestServer({}, { dataDir });
      servers.push(second);
      const api2 = client(second, key);
      polling = false;
      await poller;
      expect(polls).toContain(200);
      expect(polls.some((p) => p === 'ECONNREFUSED' || p === 'ECONNRESET')).toBe(true);

      expect(filesUnder(path.join(dataDir, 'videos')).sort()).toEqual(
        [`${done.videoId}/source.mp4`, `${done.videoId}/thumbnail.jpg`].sort(),
      );
      const list = await api2.get('/api/v2/videos');
      expect(list.body.videos.map((v: { video_id: string }) => v.video_id)).toEqual([done.videoId]);
      expect(await api2.get(`/api/v2/videos/${done.videoId}`)).toMatchObject({ status: 200, body: before.body });
      // Sending it again works.
      const retried = await slowUpload(second.url, key, 256 * 1024);
      expect(retried).toBe(202);
    },
  );
});
