// Bad media through POST /api/v2/ingest (upload and URL) against the real server and real ffprobe:
// zero bytes, truncated, corrupt in the middle, audio-only, 1×1, a header claiming 100 h (or 10 h of a 3 s clip),
// a header claiming 20000×20000 px, an HTML page named .mp4. Each ends as a clear 422 or a failed
// ingest step with a specific code and message; no thumbnail, temp or result file remains, no credit is charged.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, writeFile } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  client,
  ingestFile,
  localServer,
  sendFile,
  stopAll,
  waitUntil,
  finished,
  type AccountJson,
  type Client,
  type LocalServer,
} from './helpers';

let server: TestServer;
let api: Client;
let web: LocalServer;
const HTML = '<!doctype html>\n<html><head><title>Login</title></head><body><form>Sign in to continue</form></body></html>\n'.repeat(40);

beforeAll(async () => {
  server = await startTestServer();
  api = client(server, await server.createKey('bad-media@example.com'));
  web = await localServer((_req, res) => sendFile(res, Buffer.from(HTML), 'text/html; charset=utf-8'));
});

afterAll(async () => {
  await Promise.all([stopAll(server), web?.close()]);
});

function ffmpeg(name: string, ...args: string[]): Buffer {
  const file = writeFile(name, '');
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, file]);
  return fs.readFileSync(file);
}

/** Rewrites the 32-bit duration of the movie header (mvhd, version 0) to `seconds`. */
function claimDuration(mp4: Buffer, seconds: number): Buffer {
  const out = Buffer.from(mp4);
  const at = out.indexOf('mvhd');
  expect(out[at + 4], 'mvhd version').toBe(0);
  const timescale = out.readUInt32BE(at + 16);
  out.writeUInt32BE(seconds * timescale, at + 20);
  return out;
}

/** Overwrites the middle third of the media data with noise: the index is intact, the pictures are not. */
function corruptMiddle(mp4: Buffer): Buffer {
  const out = Buffer.from(mp4);
  const mdat = out.indexOf('mdat');
  const size = out.readUInt32BE(mdat - 4);
  const start = mdat + 4 + Math.floor(size / 3);
  for (let i = start; i < start + Math.floor(size / 3); i++) out[i] = (i * 7919) % 251;
  return out;
}

/** What a failed or refused video left on disk: only the upload as received, never a thumbnail or temp file. */
function leftovers(videoId: string): string[] {
  const dir = path.join(server.dataDir, 'videos', videoId);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

const NOT_READABLE = /^The file is not a readable video \(.+\)\.$/;
const TRUNCATED = 'The video is truncated or damaged: its last part cannot be decoded.';

const cases: [string, () => Buffer, string, string | RegExp][] = [
  [
    'audio only (m4a)',
    () => ffmpeg('bad-audio.m4a', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:a', 'aac'),
    'bad-audio.m4a',
    'The file has no video stream (audio only).',
  ],
  [
    'a 1×1 video',
    () =>
      ffmpeg(
        'bad-1x1.mp4',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=64x64:rate=5',
        '-t',
        '1',
        '-vf',
        'scale=1:1',
        '-pix_fmt',
        'yuv444p',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
      ),
    'bad-1x1.mp4',
    /^The video’s picture size \(1×1 px\) is not supported: each side must be between \d+ and 16384 pixels\.$/,
  ],
  [
    'a header claiming 100 hours',
    () => claimDuration(fs.readFileSync(makeClip('bad-3s.mp4', 3, { size: '64x64', rate: 5 })), 100 * 3600),
    'long.mp4',
    'The file claims a duration of 100 h 0 min which is longer than the 24 h limit.',
  ],
  [
    'a 3 s clip whose header claims 10 hours',
    () => claimDuration(fs.readFileSync(makeClip('bad-3s.mp4', 3, { size: '64x64', rate: 5 })), 10 * 3600),
    'ten-hours.mp4',
    TRUNCATED,
  ],
  [
    'a header claiming 20000×20000 pixels',
    () => Buffer.concat([Buffer.from('YUV4MPEG2 W20000 H20000 F25:1 Ip A1:1 C420jpeg\nFRAME\n'), Buffer.alloc(4096)]),
    'huge.y4m',
    NOT_READABLE,
  ],
  ['an HTML page named .mp4', () => Buffer.from(HTML), 'video.mp4', NOT_READABLE],
  [
    'an MP4 whose middle is overwritten with noise',
    () => corruptMiddle(fs.readFileSync(makeClip('bad-corrupt-8s.mp4', 8, { size: '160x120', rate: 25 }))),
    'corrupt.mp4',
    TRUNCATED,
  ],
  [
    'an MP4 cut in half',
    () => {
      const full = fs.readFileSync(makeClip('bad-fs-4s.mp4', 4, { size: '64x64', rate: 5, faststart: true }));
      return full.subarray(0, Math.floor(full.length / 2));
    },
    'half.mp4',
    TRUNCATED,
  ],
];

describe('bad uploads', () => {
  const failed: string[] = [];

  it.each(cases)('%s → failed ingest, unsupported_media', async (_name, make, fileName, message) => {
    const { videoId, step } = await ingestFile(api, writeFile(`upload-${fileName}`, make()));
    failed.push(videoId);
    expect(step.status, JSON.stringify(step)).toBe('failed');
    expect(step.error?.code).toBe('unsupported_media');
    expect(step.error?.message).toMatch(message);
    expect(step.error?.message).not.toContain(server.dataDir);
    expect(step.attempts).toBe(1);
    const video = await api.get(`/api/v2/videos/${videoId}`);
    expect(video.body).toMatchObject({ status: 'failed', duration: null, width: null, credits_required: null });
    // The upload stays (so the dashboard's Retry has something to work on); nothing else was written.
    expect(leftovers(videoId)).toEqual([expect.stringMatching(/^source\.\w+$/)]);
  });

  it('refuses a zero-byte upload with 422 and keeps no folder', async () => {
    const res = await api.upload(Buffer.alloc(0), 'empty.mp4');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: 'unsupported_media', message: 'The uploaded file is empty.' } });
  });

  it('serves no download, result or analysis for a failed video', async () => {
    const videoId = failed[0]!;
    expect((await api.get(`/api/v2/download/${videoId}`)).status).toBe(404);
    expect((await api.get(`/api/v2/videos/${videoId}/results/scene_detection`)).status).toBe(404);
    const analyze = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' });
    expect(analyze.status).toBe(409);
    expect(analyze.body.error.code).toBe('video_not_ready');
  });

  it('charged no credit for any of them', async () => {
    const account = await api.get<AccountJson>('/api/v2/account');
    expect(account.body.balance).toBe(300);
    expect(account.body.ledger.map((e) => e.reason)).toEqual(['signup_grant']);
  });

  it('left no temp file anywhere in the data folder', () => {
    const all = fs.readdirSync(path.join(server.dataDir, 'videos'), { recursive: true }) as string[];
    expect(all.filter((f) => path.basename(f).startsWith('.tmp-'))).toEqual([]);
  });
});

describe('bad URL sources', () => {
  it('fails an HTML page served as text/html with unsupported_media', async () => {
    const res = await api.ingestUrl(`${web.origin}/watch?v=1`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished);
    expect(step.status).toBe('failed');
    expect(step.error?.code).toBe('unsupported_media');
    expect(step.error?.message).toMatch(NOT_READABLE);
  });
});
