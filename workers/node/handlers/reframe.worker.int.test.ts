// transform:reframe_llm against a local server speaking the OpenAI chat-completions protocol: where the
// plan is unsure (two faces speaking at once) the LLM's choice becomes the subject; a failing LLM or
// none at all leaves the heuristic plan and says so in warnings. The analyses are written by the test
// (two faces in a generated clip), so what the LLM is asked about is known exactly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveSpeakerResult } from '../../analysis/active-speaker';
import type { FaceTrackingResult } from '../../analysis/face-tracking-result';

const requests: { model: string; messages: { role: string; content: string }[] }[] = [];
let answer: (res: http.ServerResponse) => void = () => undefined;
const llm = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    requests.push(JSON.parse(body) as (typeof requests)[number]);
    answer(res);
  });
});
await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
process.env.LLM_BASE_URL = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
process.env.LLM_MODEL = 'test-model';
process.env.LLM_MAX_ATTEMPTS = '2';
process.env.LLM_TIMEOUT_MS = '5000';

const { cleanupDatabase, ingestFile, runHandler } = await import('./handler-fixtures');
const { storage, videoKeys } = await import('../../../server/repositories/storage');
const { reframeHandler } = await import('./reframe.worker');
const { chooseSubjects } = await import('../llm-subjects');
const { planCamera } = await import('../../analysis/camera-planner');

const chat = (content: string) => (res: http.ServerResponse) =>
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));

const W = 640;
const H = 360;
const DURATION = 4;
let videoId: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-llm-'));

/** Face 1 (left) speaks alone for 1.5 s, then both speak at once: the planner cannot tell. */
function analyses() {
  const times = Array.from({ length: DURATION * 25 }, (_, i) => Math.round((i / 25) * 1000) / 1000);
  const track = (face_id: number, x: number) => ({
    face_id,
    first_seen: 0,
    last_seen: times.at(-1)!,
    detections: times
      .filter((_, i) => i % 2 === 0)
      .map((t) => ({ timestamp: t, frame_number: Math.round(t * 25), bbox: [x, 120, 70, 90], score: 0.95, landmarks: null })),
  });
  const scores = (face_id: number) => ({
    face_id,
    first_seen: 0,
    last_seen: times.at(-1)!,
    speaking_fraction: 0.8,
    scores: times.map((t) => {
      const score = face_id === 1 || t >= 1.5 ? 0.9 : 0.05;
      return { timestamp: t, frame_number: Math.round(t * 25), score, speaking: score > 0.5 };
    }),
  });
  return {
    face_tracking_yolov8: {
      model: 'face_tracking_yolov8',
      video_fps: 25,
      total_frames: DURATION * 25,
      sample_fps: 12.5,
      track_count: 2,
      tracks: [track(1, 60), track(2, 500)],
    },
    active_speaker: { model: 'active_speaker', video_fps: 25, total_frames: DURATION * 25, track_count: 2, tracks: [scores(1), scores(2)] },
  };
}

beforeAll(async () => {
  const clip = path.join(tmp, 'two-faces.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=25:duration=${DURATION}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${DURATION}`],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
  ]);
  videoId = await ingestFile(clip);
  for (const [model, result] of Object.entries(analyses())) {
    await storage.write(videoKeys.result(videoId, model), JSON.stringify(result));
  }
}, 60_000);
afterAll(async () => {
  llm.closeAllConnections();
  llm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  await cleanupDatabase();
});

async function renderedPath() {
  return JSON.parse((await storage.read(videoKeys.output(videoId, 'reframe_path.json'))).toString('utf8')) as {
    scenes: { keyframes: { t: number; subject: number | null }[] }[];
  };
}
const subjectAt = (p: Awaited<ReturnType<typeof renderedPath>>, t: number) =>
  p.scenes
    .flatMap((s) => s.keyframes)
    .filter((k) => k.t <= t)
    .at(-1)?.subject;

const typed = () => {
  const a = analyses() as unknown as { face_tracking_yolov8: FaceTrackingResult; active_speaker: ActiveSpeakerResult };
  return { faces: a.face_tracking_yolov8, speakers: a.active_speaker };
};

/** The face the heuristic plan frames at 3.5 s; the LLM is told to pick the other one. */
function heuristicChoice() {
  const { faces, speakers } = typed();
  const { path: p, uncertain } = planCamera({ source: { width: W, height: H, duration: DURATION }, faces, speakers });
  expect(uncertain).toEqual([expect.objectContaining({ candidates: [1, 2] })]);
  return subjectAt(p as never, 3.5)!;
}

describe('transform:reframe_llm', () => {
  it('frames the face the LLM chooses where the plan is unsure', { timeout: 60_000 }, async () => {
    requests.length = 0;
    const choice = 3 - heuristicChoice();
    answer = chat(JSON.stringify({ segments: [{ start: 1.5, end: 4, face_id: choice, reason: 'the guest answers' }] }));
    const { outcome } = await runHandler(reframeHandler(true), videoId, 'transform:reframe_llm', { aspect_ratio: '9:16' });
    expect(outcome).toEqual({ status: 'completed', resultKey: videoKeys.output(videoId, 'reframe.mp4') });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.model).toBe('test-model');
    expect(requests[0]!.messages.map((m) => m.content).join('\n')).toMatch(/face_id/);
    const p = await renderedPath();
    expect(subjectAt(p, 1)).toBe(1);
    expect(subjectAt(p, 3.5)).toBe(choice);
  });

  it('keeps the heuristic plan, with a warning, when the LLM keeps failing', { timeout: 60_000 }, async () => {
    requests.length = 0;
    answer = (res) => res.writeHead(500).end('overloaded');
    const { outcome } = await runHandler(reframeHandler(true), videoId, 'transform:reframe_llm', {});
    expect(outcome).toMatchObject({ status: 'completed', warnings: [expect.stringMatching(/heuristic plan was used/)] });
    expect(requests).toHaveLength(2);
    expect(subjectAt(await renderedPath(), 3.5)).toBe(heuristicChoice());
  });

  it('says so when no LLM is configured, and asks nothing when the plan is sure', async () => {
    const { faces, speakers } = typed();
    const input = { source: { width: W, height: H, duration: DURATION }, faces, speakers };
    const unsure = [{ start: 1.5, end: 4, candidates: [1, 2], reason: 'overlap' as const }];
    const none = await chooseSubjects({ ...input, uncertain: unsure }, undefined, null);
    expect(none).toEqual({ pins: [], warnings: [expect.stringContaining('No LLM is configured')] });
    requests.length = 0;
    expect(await chooseSubjects({ ...input, uncertain: [] })).toEqual({ pins: [], warnings: [] });
    expect(requests).toHaveLength(0);
  });
});
