// The reframe over HTTP: POST /transform runs the analyses it needs and renders a vertical MP4 and
// its crop path; an edited path renders as given (and a bad one is refused); auto_analyze:false
// answers 409; the one-shot POST /reframe job goes from URL to download by itself, charges once,
// never charges a failed job, and POSTs a signed callback that an integrator can verify.
/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are loosely typed JSON in these tests */
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  client,
  finished,
  httpFetch,
  ingestFile,
  localServer,
  sendFile,
  stopAll,
  waitUntil,
  type Client,
  type LocalServer,
} from './helpers';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');
const CONVERSATION = path.join(MEDIA, 'conversation/two-people-still-listener.mp4');
const HEAD = path.join(MEDIA, 'talking/talking-head-2.mp4');

let server: TestServer;
let api: Client;
let apiKey: string;
let files: LocalServer;
let hooks: LocalServer;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-http-'));

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_MAX_ATTEMPTS: '3' });
  apiKey = await server.createKey('reframe@example.com');
  api = client(server, apiKey);
  files = await localServer((req, res) => {
    if (req.url === '/head.mp4') return sendFile(res, fs.readFileSync(HEAD));
    if (req.url === '/page.html') return sendFile(res, Buffer.from('<!doctype html><p>not a video</p>'), 'text/html');
    res.writeHead(404).end();
  });
  hooks = await localServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
});
afterAll(async () => {
  await files?.close();
  await hooks?.close();
  await stopAll(server);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function probe(file: string) {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,width,height:format=duration',
    '-of',
    'json',
    file,
  ]);
  const json = JSON.parse(out.toString()) as {
    streams: { codec_type: string; width?: number; height?: number }[];
    format: { duration: string };
  };
  const video = json.streams.find((s) => s.codec_type === 'video')!;
  return {
    width: video.width!,
    height: video.height!,
    duration: Number(json.format.duration),
    audio: json.streams.some((s) => s.codec_type === 'audio'),
  };
}

/** Downloads a binary output to `file` (the JSON client would mangle its bytes). */
async function downloadTo(key: string, p: string, file: string) {
  const res = await httpFetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return res;
}

async function waitForJob(c: Client, jobId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    const res = await c.get(`/api/v2/reframe/${jobId}`);
    expect(res.status, res.text).toBe(200);
    seen.add(res.body.step);
    if (res.body.status !== 'processing') return { job: res.body, seen };
    expect(res.body.progress).toBeGreaterThanOrEqual(0);
    expect(res.body.progress).toBeLessThan(1);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still processing: ${res.text}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What an integrator does with a callback: check X-Signature `t=…,v1=…` over "<t>.<raw body>". */
function verifySignature(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  return !!parts.v1 && parts.v1.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}

describe('POST /api/v2/transform reframe', () => {
  let videoId: string;
  let cropPath: any;

  it('runs the missing analyses itself, then renders the clip and its crop path', { timeout: 300_000 }, async () => {
    videoId = (await ingestFile(api, CONVERSATION)).videoId;
    const started = await api.postJson('/api/v2/transform', { video_id: videoId, transform_type: 'reframe' });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toEqual({ video_id: videoId, step: 'transform:reframe', status: 'queued' });
    const step = await waitUntil(api, videoId, finished, 'transform:reframe', 280_000);
    expect(step, JSON.stringify(step)).toMatchObject({ status: 'completed', result_url: `/api/v2/download/${videoId}?suffix=_reframe` });
    const status = await api.get(`/api/v2/status/${videoId}`);
    const kinds = status.body.steps.map((s: any) => `${s.step}:${s.status}`);
    for (const k of ['analyze:scene_detection', 'analyze:face_tracking_yolov8', 'analyze:active_speaker'])
      expect(kinds).toContain(`${k}:completed`);
    // Started for the reframe, who speaks is analysed at the reframe's rate: 12.5 frames a second of 25.
    const speaker = await api.get(`/api/v2/videos/${videoId}/results/active_speaker`);
    const scores = speaker.body.tracks[0].scores.map((s: any) => s.frame_number);
    expect(scores.slice(0, 3)).toEqual([0, 2, 4]);

    const pathRes = await api.get(`/api/v2/download/${videoId}?suffix=_reframe_path`);
    expect(pathRes.status).toBe(200);
    cropPath = pathRes.body;
    expect(cropPath).toMatchObject({ version: 1, source: { width: 1280, height: 720 }, aspect_ratio: '9:16', start: 0 });
    // 9:16 of a 720-pixel-high source, without upscaling: 406×720 (even numbers).
    expect(cropPath.output).toEqual({ width: 406, height: 720 });
    const subjects = new Set(cropPath.scenes.flatMap((s: any) => s.keyframes.map((k: any) => k.subject)));
    expect(subjects.size).toBeGreaterThanOrEqual(2);

    const mp4 = path.join(tmp, 'conversation.mp4');
    await downloadTo(apiKey, `/api/v2/download/${videoId}?suffix=_reframe`, mp4);
    const facts = probe(mp4);
    expect(facts).toMatchObject({ width: 406, height: 720, audio: true });
    expect(Math.abs(facts.duration - 22.022)).toBeLessThan(0.1);

    const account = await api.get('/api/v2/account');
    expect(account.body.ledger.filter((e: any) => e.video_id === videoId)).toEqual([expect.objectContaining({ amount: -22 })]);
  });

  it('renders an edited crop path as given, and refuses one that leaves the frame', { timeout: 120_000 }, async () => {
    const edited = structuredClone(cropPath);
    for (const scene of edited.scenes) for (const k of scene.keyframes) if (scene.layout === 'single') k.x = 0;
    const bad = structuredClone(edited);
    bad.scenes[0].keyframes[0].x = 1000;
    const refused = await api.postJson('/api/v2/transform', { video_id: videoId, transform_type: 'reframe', parameters: { path: bad } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/leaves the 1280×720 source frame/);

    const started = await api.postJson('/api/v2/transform', { video_id: videoId, transform_type: 'reframe', parameters: { path: edited } });
    expect(started.status, started.text).toBe(202);
    // The new step is the latest of its kind, so this waits for it, not the first render.
    const latest = await waitUntil(api, videoId, finished, 'transform:reframe', 100_000);
    expect(latest.status).toBe('completed');
    const stored = await api.get(`/api/v2/download/${videoId}?suffix=_reframe_path`);
    expect(stored.body.scenes[0].keyframes[0].x).toBe(0);
  });

  it('stacks the two speakers with layout split', { timeout: 120_000 }, async () => {
    const started = await api.postJson('/api/v2/transform', {
      video_id: videoId,
      transform_type: 'reframe',
      parameters: { layout: 'split', aspect_ratio: '9:16', start_time: 2, end_time: 12 },
    });
    expect(started.status, started.text).toBe(202);
    expect((await waitUntil(api, videoId, finished, 'transform:reframe', 100_000)).status).toBe('completed');
    const split = (await api.get(`/api/v2/download/${videoId}?suffix=_reframe_path`)).body;
    expect(split).toMatchObject({ start: 2, end: 12 });
    expect(split.scenes.every((s: any) => s.layout === 'split' && s.keyframes.every((k: any) => k.panes.length === 2))).toBe(true);
    const mp4 = path.join(tmp, 'split.mp4');
    await downloadTo(apiKey, `/api/v2/download/${videoId}?suffix=_reframe`, mp4);
    const facts = probe(mp4);
    expect(facts).toMatchObject(split.output);
    expect(Math.abs(facts.duration - 10)).toBeLessThan(0.1);
  });

  it('answers 409 missing_dependency with auto_analyze false, and 422 for a bad aspect ratio', async () => {
    const fresh = (await ingestFile(api, HEAD)).videoId;
    const res = await api.postJson('/api/v2/transform', {
      video_id: fresh,
      transform_type: 'reframe',
      parameters: { auto_analyze: false },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'missing_dependency', message: expect.stringContaining('face_tracking_yolov8') });
    const aspect = await api.postJson('/api/v2/transform', {
      video_id: fresh,
      transform_type: 'reframe',
      parameters: { aspect_ratio: 'tall' },
    });
    expect(aspect.status).toBe(422);
    expect(aspect.body.error.message).toContain('aspect_ratio');
  });
});

describe('POST /api/v2/reframe one-shot job', () => {
  it('goes from URL to a downloadable clip, charges once and calls back signed', { timeout: 240_000 }, async () => {
    const key = await server.createKey('oneshot@example.com');
    const c = client(server, key);
    const secret = (await c.get('/api/v2/account/webhook-secret')).body.webhook_secret as string;
    expect(secret).toMatch(/^whsec_/);
    const res = await c.postJson('/api/v2/reframe', {
      url: `${files.origin}/head.mp4`,
      aspect_ratio: '1:1',
      llm: true,
      diarization: true,
      callback_url: `${hooks.origin}/done`,
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ job_id: expect.stringMatching(/^job_/), status: 'processing', step: 'ingesting' });
    const { job, seen } = await waitForJob(c, res.body.job_id, 220_000);
    expect(job, JSON.stringify(job)).toMatchObject({
      status: 'completed',
      step: 'completed',
      progress: 1,
      credits_charged: 5,
      download_url: `/api/v2/download/${job.video_id}?suffix=_reframe`,
    });
    expect(seen.has('tracking_faces') || seen.has('detecting_speakers') || seen.has('rendering')).toBe(true);
    // llm and diarization bring their analyses along: the LLM's transcript snippets and the diarized speakers.
    const steps = (await c.get(`/api/v2/status/${job.video_id}`)).body.steps.map((s: any) => `${s.step}:${s.status}`);
    for (const k of ['scene_detection', 'face_tracking_yolov8', 'diarization', 'transcription']) {
      expect(steps).toContain(`analyze:${k}:completed`);
    }
    // One face on screen: there is no one else to frame, so who speaks is not analysed.
    expect(steps.some((s: string) => s.startsWith('analyze:active_speaker'))).toBe(false);
    expect(steps).toContain('transform:reframe_llm:completed');

    const before = (await c.get('/api/v2/account')).body;
    expect(before.balance).toBe(295);
    const file = path.join(tmp, 'oneshot.mp4');
    const clip = await downloadTo(key, job.download_url, file);
    expect(clip.headers.get('content-type')).toContain('video/mp4');
    expect((await c.get('/api/v2/account')).body.balance).toBe(295);
    // talking-head-2 is 844×844: a 1:1 crop of all of it, 5.04 s.
    expect(probe(file)).toMatchObject({ width: 844, height: 844, audio: true });
    expect(Math.abs(probe(file).duration - 5.04)).toBeLessThan(0.1);

    const hook = await waitForHook(job.job_id);
    expect(hook.headers['content-type']).toContain('application/json');
    expect(verifySignature(secret, String(hook.headers['x-signature']), hook.body)).toBe(true);
    expect(verifySignature(secret, String(hook.headers['x-signature']), hook.body.replace('completed', 'failed'))).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'job.completed', job_id: job.job_id, status: 'completed' });
  });

  it('fails a job whose URL is not a video: no charge, a job.failed callback', { timeout: 60_000 }, async () => {
    const c = client(server, await server.createKey('notvideo@example.com'));
    const res = await c.postJson('/api/v2/reframe', { url: `${files.origin}/page.html`, callback_url: `${hooks.origin}/failed` });
    expect(res.status, res.text).toBe(202);
    const { job } = await waitForJob(c, res.body.job_id, 50_000);
    expect(job).toMatchObject({ status: 'failed', step: 'failed', error: { code: expect.any(String), message: expect.any(String) } });
    expect(job.download_url).toBeUndefined();
    expect((await c.get('/api/v2/account')).body.balance).toBe(300);
    const hook = await waitForHook(job.job_id);
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'job.failed', status: 'failed' });
  });

  it(
    'answers 402 on an empty balance, and fails without charge when the clip costs more than the balance',
    { timeout: 60_000 },
    async () => {
      const c = client(server, await server.createKey('poor@example.com'));
      await server.admin('grant-credits', '--email', 'poor@example.com', '--amount=-297', '--reason', 'test');
      const short = await c.postJson('/api/v2/reframe', { url: `${files.origin}/head.mp4`, end_time: 4.5 });
      expect(short.status).toBe(402);
      expect(short.body).toMatchObject({ error: { code: 'insufficient_credits' }, credits_required: 4, credits_remaining: 3 });
      const res = await c.postJson('/api/v2/reframe', { url: `${files.origin}/head.mp4` });
      expect(res.status, res.text).toBe(202);
      const { job } = await waitForJob(c, res.body.job_id, 50_000);
      expect(job).toMatchObject({ status: 'failed', error: { code: 'insufficient_credits' } });
      expect((await c.get('/api/v2/account')).body.balance).toBe(3);
      await server.admin('grant-credits', '--email', 'poor@example.com', '--amount=-3', '--reason', 'test');
      const empty = await c.postJson('/api/v2/reframe', { url: `${files.origin}/head.mp4` });
      expect(empty.status).toBe(402);
    },
  );

  it('returns the first job for a repeated request with the same Idempotency-Key', { timeout: 60_000 }, async () => {
    const key = await server.createKey('idem@example.com');
    const post = (body: unknown, idem: string) =>
      httpFetch(`${server.url}/api/v2/reframe`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idem },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    const body = { url: `${files.origin}/page.html` };
    const [a, b] = await Promise.all([post(body, 'retry-1'), post(body, 'retry-1')]);
    expect(a.job_id).toMatch(/^job_/);
    expect(b.job_id).toBe(a.job_id);
    const c = client(server, key);
    await waitForJob(c, a.job_id, 50_000);
    expect((await post(body, 'retry-1')).job_id).toBe(a.job_id);
    expect((await post({ ...body, aspect_ratio: '1:1' }, 'retry-1')).error.code).toBe('idempotency_conflict');
    const other = await post(body, 'retry-2');
    expect(other.job_id).not.toBe(a.job_id);
  });

  it('validates the request and hides other accounts’ jobs', async () => {
    const bad = await api.postJson('/api/v2/reframe', { url: `${files.origin}/head.mp4`, callback_url: 'ftp://example.com/x' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_callback_url');
    const range = await api.postJson('/api/v2/reframe', { url: `${files.origin}/head.mp4`, start_time: 4, end_time: 2 });
    expect(range.status).toBe(422);
    const scheme = await api.postJson('/api/v2/reframe', { url: 'file:///etc/passwd' });
    expect(scheme.status).toBe(422);
    const mine = await api.postJson('/api/v2/reframe', { url: `${files.origin}/page.html` });
    const other = client(server, await server.createKey('other@example.com'));
    expect((await other.get(`/api/v2/reframe/${mine.body.job_id}`)).status).toBe(404);
    expect((await api.get('/api/v2/reframe/job_nope')).status).toBe(404);
    expect((await client(server, null).get(`/api/v2/reframe/${mine.body.job_id}`)).status).toBe(401);
  });
});

async function waitForHook(jobId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const hook = received.find((r) => r.body.includes(jobId));
    if (hook) return hook;
    if (Date.now() > deadline) throw new Error(`no callback for ${jobId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
