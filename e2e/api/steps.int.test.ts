// POST /analyze and /transform validation (unknown model, missing fields, unknown video, video not
// ready), and the shape of GET /status and GET /videos while a step is queued, running and finished.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, writeFile } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  client,
  finished,
  ingestFile,
  localServer,
  stopAll,
  trickle,
  waitUntil,
  type Client,
  type LocalServer,
  type StepJson,
} from './helpers';

// The API's documented model and transform names (e2e tests see the service over HTTP only).
const MODEL_TYPES = ['scene_detection', 'face_tracking_yolov8', 'active_speaker', 'transcription', 'diarization'];
const TRANSFORM_TYPES = ['reframe', 'reframe_llm'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let server: TestServer;
let api: Client;
let slow: LocalServer;
let clip: Buffer;
let videoId: string;
let brokenId: string; // its ingest failed
/** Kinds this build provides, found over HTTP in the first test (empty in a build without analyses). */
const provided = new Set<string>();

beforeAll(async () => {
  clip = fs.readFileSync(makeClip('steps-2s.mp4', 2, { size: '160x120' }));
  server = await startTestServer();
  api = client(server, await server.createKey('steps@example.com'));
  slow = await localServer((req, res) => {
    if (req.url === '/slow.mp4') return trickle(res, clip, 3_000);
    res.writeHead(404).end();
  });
  const ingested = await ingestFile(api, makeClip('steps-1s.mp4', 1, { size: '64x64', rate: 5 }));
  expect(ingested.step.status).toBe('completed');
  videoId = ingested.videoId;
  const broken = await ingestFile(api, writeFile('steps-broken.mp4', 'not a video'));
  expect(broken.step.status).toBe('failed');
  brokenId = broken.videoId;
});

afterAll(async () => {
  await Promise.all([stopAll(server), slow?.close()]);
});

const notAvailable = (name: string) => ({
  error: { code: 'unknown_model_type', message: `${name} is not available in this build of the service.` },
});

describe('POST /analyze and /transform', () => {
  it('tells, for every documented model and transform, "not in this build" (422) or "not ready" (409)', async () => {
    // Probed on a video whose ingest failed, so that no request can queue a step.
    const kinds = [
      ...MODEL_TYPES.map((m) => ['/api/v2/analyze', { model_type: m }, `analyze:${m}`, m] as const),
      ...TRANSFORM_TYPES.map((t) => ['/api/v2/transform', { transform_type: t }, `transform:${t}`, t] as const),
    ];
    for (const [route, field, kind, name] of kinds) {
      const res = await api.postJson(route, { video_id: brokenId, ...field });
      if (res.status === 409) {
        expect(res.body).toEqual({
          error: { code: 'video_not_ready', message: 'The video could not be ingested, so it cannot be processed; ingest the file again.' },
          step: 'ingest',
          status: 'failed',
        });
        provided.add(kind);
      } else {
        expect(res.status, `${kind}: ${res.text}`).toBe(422);
        expect(res.body).toEqual(notAvailable(name));
      }
    }
    expect((await api.get(`/api/v2/status/${brokenId}`)).body.steps.map((st: StepJson) => st.step)).toEqual(['ingest']);
  });

  it('answers 422 unknown_model_type for a known model or transform this build does not provide', async () => {
    const model = MODEL_TYPES.find((m) => !provided.has(`analyze:${m}`));
    const transform = TRANSFORM_TYPES.find((t) => !provided.has(`transform:${t}`));
    if (model) {
      const res = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: model });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(notAvailable(model));
    }
    if (transform) {
      const res = await api.postJson('/api/v2/transform', { video_id: videoId, transform_type: transform });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(notAvailable(transform));
    }
  });

  it('answers 422 unknown_model_type for a model that does not exist', async () => {
    const res = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'crystal_ball' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(notAvailable('crystal_ball'));
  });

  it('answers 422 validation_error naming the missing or wrong fields', async () => {
    const empty = await api.postJson('/api/v2/analyze', {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('validation_error');
    expect(empty.body.error.message).toMatch(/^video_id: .*; model_type: /);

    const noModel = await api.postJson('/api/v2/analyze', { video_id: videoId });
    expect(noModel.status).toBe(422);
    expect(noModel.body.error.message).toMatch(/^model_type: /);

    const wrongType = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 7 });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.message).toMatch(/^model_type: /);

    const badParams = await api.postJson('/api/v2/transform', { video_id: videoId, transform_type: 'reframe', parameters: [1, 2] });
    expect(badParams.status).toBe(422);
    expect(badParams.body.error.message).toMatch(/^parameters: /);

    const notObject = await api.postJson('/api/v2/analyze', ['scene_detection']);
    expect(notObject.status).toBe(422);
    expect(notObject.body.error.code).toBe('validation_error');
  });

  it('answers 400 invalid_json for an unparseable body and 404 for an unknown video', async () => {
    const bad = await api.postRaw('/api/v2/analyze', '{video_id:', 'application/json');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const unknown = await api.postJson('/api/v2/analyze', {
      video_id: 'vid_00000000000000000000000000000000',
      model_type: 'scene_detection',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: 'No video with this id.' } });
    const unknownT = await api.postJson('/api/v2/transform', { video_id: 'nope', transform_type: 'reframe' });
    expect(unknownT.status).toBe(404);
  });

  it('left no analysis or transform step behind on the video', async () => {
    const status = await api.get(`/api/v2/status/${videoId}`);
    expect(status.body.steps.map((s: StepJson) => s.step)).toEqual(['ingest']);
  });
});

describe('a slow ingest (URL trickled over ~3 s)', () => {
  it('reports running with progress, refuses analysis until ready, then completes', async () => {
    const res = await api.ingestUrl(`${slow.origin}/slow.mp4`);
    expect(res.status).toBe(202);
    const id: string = res.body.video_id;

    // Right after the request the step exists, queued or already running, with no finish time.
    const first = await api.get(`/api/v2/status/${id}`);
    expect(first.status).toBe(200);
    expect(['queued', 'running']).toContain(first.body.status);
    expect(first.body.steps).toHaveLength(1);
    expect(first.body.steps[0].finished_at).toBeUndefined();

    const running = await waitUntil(api, id, (s) => s?.status === 'running');
    expect(running.attempts).toBe(1);
    expect(running.started_at).toMatch(ISO);
    expect(running.result_url).toBeUndefined();

    // Analysis has to wait for the ingest (409); a model this build lacks is refused outright (422
    // wins: waiting would never help).
    for (const model of MODEL_TYPES) {
      const early = await api.postJson('/api/v2/analyze', { video_id: id, model_type: model });
      if (provided.has(`analyze:${model}`)) {
        expect(early.status).toBe(409);
        expect(early.body).toMatchObject({ error: { code: 'video_not_ready' }, step: 'ingest', status: 'running' });
      } else {
        expect(early.status).toBe(422);
        expect(early.body).toEqual(notAvailable(model));
      }
    }

    // The download reports progress (0…0.8 of the step) while the bytes trickle in.
    const seen: number[] = [];
    const done = await waitUntil(api, id, (s) => {
      if (s?.status === 'running') seen.push(s.progress);
      return finished(s);
    });
    expect(done.status, JSON.stringify(done)).toBe('completed');
    const partial = seen.filter((p) => p > 0 && p < 1);
    expect(partial.length, `progress values seen: ${seen.join(',')}`).toBeGreaterThan(0);
    for (const p of seen) expect(p).toBeLessThanOrEqual(0.8);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const status = await api.get(`/api/v2/status/${id}`);
    expect(status.body).toEqual({
      video_id: id,
      step: 'ingest',
      status: 'completed',
      progress: 1,
      result_url: `/api/v2/videos/${id}`,
      steps: [
        {
          step: 'ingest',
          status: 'completed',
          progress: 1,
          result_url: `/api/v2/videos/${id}`,
          attempts: 1,
          created_at: expect.stringMatching(ISO),
          started_at: expect.stringMatching(ISO),
          finished_at: expect.stringMatching(ISO),
        },
      ],
    });
    const step = status.body.steps[0] as StepJson;
    expect(Date.parse(step.created_at)).toBeLessThanOrEqual(Date.parse(step.started_at!));
    expect(Date.parse(step.finished_at!) - Date.parse(step.started_at!)).toBeGreaterThanOrEqual(2_000);
  });

  it('shows a failed step with its error at the top of /status', async () => {
    const res = await api.ingestUrl(`${slow.origin}/gone.mp4`);
    const id: string = res.body.video_id;
    await waitUntil(api, id, finished);
    const status = await api.get(`/api/v2/status/${id}`);
    expect(status.body).toMatchObject({
      video_id: id,
      step: 'ingest',
      status: 'failed',
      error: { code: 'url_unreachable', message: 'The URL answered HTTP 404.' },
    });
    expect(status.body.result_url).toBeUndefined();
    expect(status.body.steps[0]).toMatchObject({ status: 'failed', attempts: 1, finished_at: expect.stringMatching(ISO) });
    expect(status.body.steps[0].result_url).toBeUndefined();
  });
});

describe('GET /videos', () => {
  it('lists the account’s videos newest first, a page at a time', async () => {
    const all = await api.get('/api/v2/videos');
    expect(all.status).toBe(200);
    const ids: string[] = all.body.videos.map((v: { video_id: string }) => v.video_id);
    expect(ids.length).toBe(4);
    expect(ids.at(-1)).toBe(videoId);
    expect(all.body.next_cursor).toBeNull();

    const page1 = await api.get('/api/v2/videos?limit=2');
    expect(page1.body.videos.map((v: { video_id: string }) => v.video_id)).toEqual(ids.slice(0, 2));
    expect(page1.body.next_cursor).toBe(ids[1]);
    const page2 = await api.get(`/api/v2/videos?limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body).toMatchObject({ next_cursor: null });
    expect(page2.body.videos.map((v: { video_id: string }) => v.video_id)).toEqual(ids.slice(2));
  });

  it('answers 422 for an out-of-range limit', async () => {
    for (const limit of ['0', '101', 'many']) {
      const res = await api.get(`/api/v2/videos?limit=${limit}`);
      expect(res.status, limit).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
    }
  });
});
