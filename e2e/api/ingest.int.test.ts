// POST /api/v2/ingest end to end: uploads and URL downloads (with a redirect) probed by real ffmpeg,
// media and network failures as failed steps, request errors (400/413/415/422), and upload size limits.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, writeFile } from '../support/media';
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

const MP4_FORMAT = 'mov,mp4,m4a,3gp,3g2,mj2';

let server: TestServer;
let small: TestServer;
let api: Client;
let smallApi: Client;
let media: LocalServer;
let clip: Buffer;

beforeAll(async () => {
  clip = fs.readFileSync(makeClip('ingest-2s.mp4', 2));
  [server, small] = await Promise.all([startTestServer(), startTestServer({ MAX_UPLOAD_BYTES: '100000' })]);
  const [key, smallKey] = await Promise.all([server.createKey('ingest@example.com'), small.createKey('small@example.com')]);
  api = client(server, key);
  smallApi = client(small, smallKey);
  media = await localServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/clip.mp4') return sendFile(res, clip);
    if (url.pathname === '/redirect') return void res.writeHead(302, { location: '/clip.mp4' }).end();
    if (url.pathname === '/chunked.mp4') {
      // No Content-Length: the size limit has to be enforced while streaming.
      res.writeHead(200, { 'content-type': 'video/mp4' });
      return void res.end(clip);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
});

afterAll(async () => {
  await Promise.all([stopAll(server, small), media?.close()]);
});

function videoDirs(s: TestServer): string[] {
  const dir = path.join(s.dataDir, 'videos');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('upload', () => {
  it('accepts a multipart upload and stores the probed metadata', async () => {
    const res = await api.upload(clip, 'clip.mp4');
    expect(res.status, res.text).toBe(202);
    expect(Object.keys(res.body)).toEqual(['video_id']);
    const videoId: string = res.body.video_id;
    expect(videoId).toMatch(/^vid_[0-9a-f]{32}$/);

    const step = await waitUntil(api, videoId, finished);
    expect(step.status, JSON.stringify(step)).toBe('completed');

    const video = await api.get(`/api/v2/videos/${videoId}`);
    expect(video.status).toBe(200);
    expect(video.body).toMatchObject({
      video_id: videoId,
      source: { type: 'upload', name: 'clip.mp4' },
      status: 'completed',
      duration: 2,
      fps: 25,
      frames: 50,
      width: 320,
      height: 240,
      size_bytes: clip.length,
      video_codec: 'h264',
      audio_codec: 'aac',
      format: MP4_FORMAT,
      credits_required: 2,
    });
    expect(video.body.source.url).toBeUndefined();
    expect(video.body.steps).toHaveLength(1);
    // The stored source is byte-for-byte the upload.
    const stored = fs.readFileSync(path.join(server.dataDir, 'videos', videoId, 'source.mp4'));
    expect(stored.equals(clip)).toBe(true);
  });

  it('fails the ingest step with unsupported_media for a text file named .mp4', async () => {
    const file = writeFile('not-a-video.mp4', 'hello, this is plain text and not a video at all\n'.repeat(20));
    const { videoId, step } = await ingestFile(api, file);
    expect(step.status).toBe('failed');
    expect(step.error?.code).toBe('unsupported_media');
    expect(step.error?.message).toMatch(/^The file is not a readable video \(.+\)\.$/);
    // The message must not leak where the service keeps its files.
    expect(step.error?.message).not.toContain(server.dataDir);
    expect(step.error?.message).not.toContain(videoId);
    const video = await api.get(`/api/v2/videos/${videoId}`);
    expect(video.body).toMatchObject({ status: 'failed', duration: null, fps: null, frames: null, width: null, credits_required: null });
  });

  it('fails a faststart MP4 cut in half with unsupported_media (index intact, data missing)', async () => {
    const full = fs.readFileSync(makeClip('ingest-faststart-4s.mp4', 4, { faststart: true }));
    expect(full.subarray(0, 64).includes(Buffer.from('moov'))).toBe(true);
    const file = writeFile('faststart-half.mp4', full.subarray(0, Math.floor(full.length / 2)));
    const { step } = await ingestFile(api, file);
    expect(step.status).toBe('failed');
    expect(step.error).toEqual({
      code: 'unsupported_media',
      message: 'The video is truncated or damaged: its last part cannot be decoded.',
    });
  });

  it('fails a normal MP4 (index at the end) cut in half with unsupported_media', async () => {
    const full = fs.readFileSync(makeClip('ingest-normal-4s.mp4', 4));
    const file = writeFile('normal-half.mp4', full.subarray(0, Math.floor(full.length / 2)));
    const { step } = await ingestFile(api, file);
    expect(step.status).toBe('failed');
    expect(step.error?.code).toBe('unsupported_media');
    expect(step.error?.message).toBe('The file is not a readable video (moov atom not found).');
  });

  it('refuses a zero-byte upload and keeps nothing', async () => {
    const before = videoDirs(server);
    const res = await api.upload(Buffer.alloc(0), 'empty.mp4');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: 'unsupported_media', message: 'The uploaded file is empty.' } });
    expect(videoDirs(server)).toEqual(before);
  });

  it('answers 422 for a multipart body without the field "file"', async () => {
    const res = await api.upload(clip, 'clip.mp4', 'video');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: 'validation_error', message: 'Send the video in the multipart field "file".' } });
  });

  it('answers 415 for a body that is neither JSON nor multipart', async () => {
    const res = await api.postRaw('/api/v2/ingest', 'url=http://example.com/a.mp4', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toMatch(/multipart\/form-data/);
  });
});

describe('URL ingest', () => {
  it('downloads a URL through a redirect and probes it', async () => {
    const res = await api.ingestUrl(`${media.origin}/redirect`);
    expect(res.status, res.text).toBe(202);
    const videoId: string = res.body.video_id;
    const step = await waitUntil(api, videoId, finished);
    expect(step.status, JSON.stringify(step)).toBe('completed');
    expect(step.progress).toBe(1);
    expect(media.requests.slice(-2)).toEqual(['/redirect', '/clip.mp4']);

    const video = await api.get(`/api/v2/videos/${videoId}`);
    expect(video.body).toMatchObject({
      source: { type: 'url', url: `${media.origin}/redirect`, name: 'clip.mp4' },
      status: 'completed',
      duration: 2,
      fps: 25,
      frames: 50,
      width: 320,
      height: 240,
      size_bytes: clip.length,
      video_codec: 'h264',
      audio_codec: 'aac',
      format: MP4_FORMAT,
    });
    expect(fs.readFileSync(path.join(server.dataDir, 'videos', videoId, 'source.mp4')).equals(clip)).toBe(true);
  });

  it('fails the step with url_unreachable when the URL answers 404', async () => {
    const res = await api.ingestUrl(`${media.origin}/missing.mp4`);
    expect(res.status).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished);
    expect(step.status).toBe('failed');
    expect(step.error).toEqual({ code: 'url_unreachable', message: 'The URL answered HTTP 404.' });
    expect(step.attempts).toBe(1);
  });

  it('answers 400 invalid_json for an unparseable body', async () => {
    const res = await api.postRaw('/api/v2/ingest', '{"url": ', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
  });

  it.each([
    ['ftp://example.com/video.mp4', 'Only http:// and https:// URLs can be downloaded.'],
    ['file:///etc/passwd', 'Only http:// and https:// URLs can be downloaded.'],
    ['http://user:pw@example.com/video.mp4', 'URLs with a user name or password in them are not allowed.'],
  ])('refuses %s with 422 url_not_allowed', async (url, message) => {
    const before = videoDirs(server).length;
    const res = await api.ingestUrl(url);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: { code: 'url_not_allowed', message } });
    expect(videoDirs(server).length).toBe(before);
  });

  it('answers 422 validation_error for a missing or malformed url', async () => {
    const missing = await api.postJson('/api/v2/ingest', { link: 'http://example.com' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('validation_error');
    expect(missing.body.error.message).toMatch(/^url: /);
    const garbage = await api.ingestUrl('not a url');
    expect(garbage.status).toBe(422);
    expect(garbage.body).toEqual({ error: { code: 'validation_error', message: 'Not a valid URL' } });
  });
});

describe('size limit (MAX_UPLOAD_BYTES=100000)', () => {
  it('answers 413 for an upload just over the limit and leaves no partial file', async () => {
    const res = await smallApi.upload(clip.subarray(0, 150_000), 'big.mp4');
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: 'payload_too_large', message: 'The file is larger than the upload limit of 100000 bytes.' },
    });
    expect(filesUnder(path.join(small.dataDir, 'videos'))).toEqual([]);
  });

  it('answers 413 for an upload far over the limit (declared length) and leaves nothing', async () => {
    const res = await smallApi.upload(Buffer.alloc(1_000_000, 7), 'huge.mp4');
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: 'payload_too_large', message: 'The file is larger than the upload limit of 100000 bytes.' },
    });
    expect(filesUnder(path.join(small.dataDir, 'videos'))).toEqual([]);
  });

  it('fails a URL ingest over the limit with payload_too_large, with or without Content-Length', async () => {
    for (const p of ['/clip.mp4', '/chunked.mp4']) {
      const res = await smallApi.ingestUrl(`${media.origin}${p}`);
      expect(res.status).toBe(202);
      const step = await waitUntil(smallApi, res.body.video_id, finished);
      expect(step.status).toBe('failed');
      expect(step.error).toEqual({ code: 'payload_too_large', message: 'The file is larger than the limit of 100000 bytes.' });
    }
    expect(filesUnder(path.join(small.dataDir, 'videos'))).toEqual([]);
  });

  it('still accepts an upload under the limit', async () => {
    const tiny = fs.readFileSync(makeClip('ingest-tiny.mp4', 1, { size: '64x64', rate: 5 }));
    expect(tiny.length).toBeLessThan(100_000);
    const { step } = await ingestFile(smallApi, writeFile('tiny-copy.mp4', tiny));
    expect(step.status).toBe('completed');
  });
});
