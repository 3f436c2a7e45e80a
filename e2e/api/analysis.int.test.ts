// Analyses through the REST API: scene_detection and face_tracking_yolov8 are queued (202), refuse a
// second start while live (409), validate their parameters (422), report progress, and serve their
// stored results at /videos/{id}/results/{model_type}; face tracking uses the stored scene cuts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, finished, ingestFile, stopAll, waitUntil, type Client } from './helpers';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');
let server: TestServer;
let api: Client;
let videoId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = client(server, await server.createKey('analysis@example.com'));
  const ingested = await ingestFile(api, path.join(MEDIA, 'scenes/hamilton-cuts.mp4'));
  expect(ingested.step.status).toBe('completed');
  videoId = ingested.videoId;
});
afterAll(() => stopAll(server));

describe('analysis steps over HTTP', () => {
  it('validates parameters with 422 and names the field', async () => {
    const bad = await api.postJson('/api/v2/analyze', {
      video_id: videoId,
      model_type: 'face_tracking_yolov8',
      parameters: { sample_fps: 100 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', message: expect.stringContaining('sample_fps') });
    const yolo = await api.postJson('/api/v2/analyze', {
      video_id: videoId,
      model_type: 'face_tracking_yolov8',
      parameters: { detector: 'yolov8' },
    });
    expect(yolo.status).toBe(422);
    expect(yolo.body.error.message).toContain('FACE_MODEL=yolov8:');
    const unknown = await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'lip_reading' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_model_type');
  });

  it('runs scene_detection once at a time and serves its result', async () => {
    const [first, second] = await Promise.all([
      api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' }),
      api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const conflict = first.status === 409 ? first : second;
    expect(conflict.body).toMatchObject({ error: { code: 'step_in_progress' }, step: 'analyze:scene_detection' });
    const accepted = first.status === 202 ? first : second;
    expect(accepted.body).toEqual({ video_id: videoId, step: 'analyze:scene_detection', status: 'queued' });

    const step = await waitUntil(api, videoId, finished, 'analyze:scene_detection');
    expect(step).toMatchObject({ status: 'completed', progress: 1, result_url: `/api/v2/videos/${videoId}/results/scene_detection` });
    const result = await api.get(step.result_url!);
    expect(result.status).toBe(200);
    expect(result.body.model).toBe('scene_detection');
    expect(result.body.scenes.map((s: { start_frame: number }) => s.start_frame)).toEqual([
      0,
      expect.closeTo(20, 0),
      expect.closeTo(82, 0),
      expect.closeTo(211, 0),
    ]);
  });

  it('runs face_tracking_yolov8 with tracks split at the stored cuts', async () => {
    const started = await api.postJson('/api/v2/analyze', {
      video_id: videoId,
      model_type: 'face_tracking_yolov8',
      parameters: { sample_fps: 5 },
    });
    expect(started.status).toBe(202);
    const step = await waitUntil(api, videoId, finished, 'analyze:face_tracking_yolov8', 60_000);
    expect(step.status).toBe('completed');
    const result = await api.get(`/api/v2/videos/${videoId}/results/face_tracking_yolov8`);
    expect(result.body).toMatchObject({ model: 'face_tracking_yolov8', sample_fps: 5, total_frames: 275 });
    expect(result.body.track_count).toBe(result.body.tracks.length);
    const cutTimes = [1.519, 3.588, 7.893];
    for (const t of result.body.tracks as { first_seen: number; last_seen: number }[]) {
      // No track spans a cut.
      expect(cutTimes.some((c) => t.first_seen < c - 0.05 && t.last_seen >= c + 0.05)).toBe(false);
    }
  });

  it('lists the steps in /status with their results', async () => {
    const status = await api.get(`/api/v2/status/${videoId}`);
    expect(status.body.steps.map((s: { step: string }) => s.step)).toEqual([
      'ingest',
      'analyze:scene_detection',
      'analyze:face_tracking_yolov8',
    ]);
    expect(status.body).toMatchObject({ step: 'analyze:face_tracking_yolov8', status: 'completed' });
  });
});

describe('speech analyses over HTTP', () => {
  let conversationId: string;

  beforeAll(async () => {
    const ingested = await ingestFile(api, path.join(MEDIA, 'conversation/two-people-still-listener.mp4'));
    conversationId = ingested.videoId;
  });

  it('diarizes a conversation into two speakers and exports RTTM', async () => {
    const bad = await api.postJson('/api/v2/analyze', {
      video_id: conversationId,
      model_type: 'diarization',
      parameters: { min_speakers: 3, max_speakers: 2 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('min_speakers');
    expect((await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'diarization' })).status).toBe(202);
    expect((await waitUntil(api, conversationId, finished, 'analyze:diarization')).status).toBe('completed');
    const result = await api.get(`/api/v2/videos/${conversationId}/results/diarization`);
    expect(result.body.model).toBe('diarization');
    expect(result.body.speakers).toHaveLength(2);
    const rttm = await api.get(`/api/v2/videos/${conversationId}/results/diarization?format=rttm`);
    expect(rttm.headers.get('content-type')).toContain('text/plain');
    const lines = rttm.text.trim().split('\n');
    expect(lines).toHaveLength(result.body.segments.length);
    expect(lines[0]).toMatch(new RegExp(`^SPEAKER ${conversationId} 1 \\d+\\.\\d{3} \\d+\\.\\d{3} <NA> <NA> S1 <NA> <NA>$`));
    const wrong = await api.get(`/api/v2/videos/${videoId}/results/scene_detection?format=rttm`);
    expect(wrong.status).toBe(422);
  });

  it('transcribes speech with word times, attaching the diarized speakers', async () => {
    expect((await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'transcription' })).status).toBe(202);
    expect((await waitUntil(api, conversationId, finished, 'analyze:transcription', 90_000)).status).toBe('completed');
    const result = await api.get(`/api/v2/videos/${conversationId}/results/transcription`);
    expect(result.body).toMatchObject({ model: 'transcription', language: 'en', engine: 'pocketsphinx' });
    expect(result.body.segments.length).toBeGreaterThan(1);
    const words = result.body.segments.flatMap((s: { words: { start: number; end: number }[] }) => s.words);
    expect(words.length).toBeGreaterThan(20);
    for (const w of words) expect(w.end).toBeGreaterThanOrEqual(w.start);
    const speakers = new Set(result.body.segments.map((s: { speaker?: string }) => s.speaker));
    expect([...speakers].sort()).toEqual(['S1', 'S2']);
  });

  it('scores the speaking face after face tracking (409 missing_dependency before), and diarization then links faces', async () => {
    const early = await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'active_speaker' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'missing_dependency' }, step: 'analyze:face_tracking_yolov8', status: 'missing' });
    expect(early.body.error.message).toContain('face_tracking_yolov8');

    await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'face_tracking_yolov8' });
    expect((await waitUntil(api, conversationId, finished, 'analyze:face_tracking_yolov8', 60_000)).status).toBe('completed');
    expect((await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'active_speaker' })).status).toBe(202);
    expect((await waitUntil(api, conversationId, finished, 'analyze:active_speaker', 90_000)).status).toBe('completed');
    const result = await api.get(`/api/v2/videos/${conversationId}/results/active_speaker`);
    expect(result.body).toMatchObject({ model: 'active_speaker', video_fps: 25, track_count: 2 });
    for (const track of result.body.tracks) {
      expect(track.speaking_fraction).toBeGreaterThan(0.2);
      expect(track.scores[0]).toEqual({
        timestamp: expect.any(Number),
        frame_number: expect.any(Number),
        score: expect.any(Number),
        speaking: expect.any(Boolean),
      });
    }

    expect((await api.postJson('/api/v2/analyze', { video_id: conversationId, model_type: 'diarization' })).status).toBe(202);
    const linked = await waitForLinkedDiarization();
    expect(linked.speakers.map((s: { face_id?: number }) => s.face_id).sort()).toEqual([1, 2]);
    // The first turn (0–6.1 s) is the left person's: its speaker must be linked to the left face.
    const faces = (await api.get(`/api/v2/videos/${conversationId}/results/face_tracking_yolov8`)).body;
    const centreX = (t: { detections: { bbox: number[] }[] }) =>
      t.detections.reduce((sum, d) => sum + d.bbox[0]! + d.bbox[2]! / 2, 0) / t.detections.length;
    const leftFace = [...faces.tracks].sort((a, b) => centreX(a) - centreX(b))[0].face_id;
    const firstTurn = linked.segments.find((s: { start: number; end: number }) => s.start < 3 && s.end > 3);
    expect(firstTurn.face_id).toBe(leftFace);
  });

  /** The second diarization run (after active_speaker) has face_ids; polls until it has completed. */
  async function waitForLinkedDiarization() {
    for (let i = 0; i < 300; i++) {
      const status = await api.get(`/api/v2/status/${conversationId}`);
      const runs = status.body.steps.filter((s: { step: string }) => s.step === 'analyze:diarization');
      if (runs.length === 2 && runs[1].status === 'completed')
        return (await api.get(`/api/v2/videos/${conversationId}/results/diarization`)).body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the second diarization did not complete');
  }
});
