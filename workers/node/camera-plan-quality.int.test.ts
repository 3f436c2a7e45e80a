// Camera planner quality on real analysis: scene_detection, face_tracking_yolov8 and active_speaker run
// through their real handlers on real clips, then planCamera. The true speaker (truth CSV, VAD ≥ 0.5,
// 0.3 s left out at each turn edge) must be inside the crop, the camera must hold still on talking
// heads, switch at most once per turn plus one, and start a new scene (no pan) at a built cut.
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handlers/handler-fixtures';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRAME_SPEAKER_PARAMS } from '../../server/jobs/steps';
import type { ActiveSpeakerResult } from '../analysis/active-speaker';
import { planCamera } from '../analysis/camera-planner';
import type { FaceTrackingResult } from '../analysis/face-tracking-result';
import type { Box } from '../analysis/letterbox';
import { lerpWindow, sceneAt, windowAt, type CropWindow, type ReframePath } from '../analysis/reframe-path';
import { VAD_HOP } from '../analysis/silero-vad';
import { activeSpeakerHandler } from './handlers/active-speaker.worker';
import { faceTrackingHandler } from './handlers/face-tracking.worker';
import { loadIngestedVideo } from './handlers/load-ingested-video';
import { sceneDetectionHandler } from './handlers/scene-detection.worker';
import { vadProbabilities } from './vad';

afterAll(cleanupDatabase);

const TURN_EDGE = 0.3;
const FRAME = 1 / 25;

type Analysis = {
  scenes: { start: number; end: number }[];
  faces: FaceTrackingResult;
  speakers: ActiveSpeakerResult;
  source: { width: number; height: number; duration: number };
};

/** scene_detection, face_tracking_yolov8 (tracks end at the cuts), active_speaker: the worker's order. */
async function analyse(file: string): Promise<Analysis> {
  const videoId = await ingestFile(file);
  const steps = [
    [sceneDetectionHandler, 'analyze:scene_detection', {}],
    [faceTrackingHandler, 'analyze:face_tracking_yolov8', { sample_fps: 10, min_face_size: 0, detector: 'full_range' }],
    // As a reframe starts it (REFRAME_SPEAKER_PARAMS).
    [activeSpeakerHandler, 'analyze:active_speaker', { face_tracking_model: 'face_tracking_yolov8', ...REFRAME_SPEAKER_PARAMS }],
  ] as const;
  for (const [handler, kind, params] of steps) {
    const { outcome } = await runHandler(handler, videoId, kind, params);
    expect(outcome.status, kind).toBe('completed');
  }
  const video = await loadIngestedVideo(videoId);
  return {
    scenes: (await readResult<{ scenes: { start: number; end: number }[] }>(videoId, 'scene_detection')).scenes,
    faces: await readResult<FaceTrackingResult>(videoId, 'face_tracking_yolov8'),
    speakers: await readResult<ActiveSpeakerResult>(videoId, 'active_speaker'),
    source: { width: video.width, height: video.height, duration: video.duration },
  };
}

function plan(a: Analysis) {
  return planCamera({ source: a.source, scenes: a.scenes, faces: a.faces, speakers: a.speakers });
}

function windowOf(p: ReframePath, t: number): CropWindow & { subject: number | null } {
  const scene = sceneAt(p, t)!;
  if (scene.layout !== 'single') throw new Error(`split scene at ${t}`);
  return windowAt(scene.keyframes, t, lerpWindow);
}

const inside = (box: Box, w: CropWindow) => box[0] >= w.x && box[1] >= w.y && box[0] + box[2] <= w.x + w.w && box[1] + box[3] <= w.y + w.h;

/** Every track's face box at t, interpolated between its detections around t when they are at most
 *  0.25 s apart (the tracker samples 10 a second), with its face_id. */
function boxesAt(faces: FaceTrackingResult, t: number): { id: number; box: Box }[] {
  return faces.tracks.flatMap((track) => {
    const d = track.detections;
    const i = d.findIndex((x) => x.timestamp > t);
    const a = d[i < 0 ? d.length - 1 : i - 1];
    const b = d[i];
    if (!a || !b) return [];
    if (b.timestamp - a.timestamp > 0.25) return [];
    const f = (t - a.timestamp) / (b.timestamp - a.timestamp);
    return [{ id: track.face_id, box: a.bbox.map((v, j) => v + (b.bbox[j]! - v) * f) as Box }];
  });
}

/** Subject changes along the path, scene boundaries included. */
function switchCount(p: ReframePath): number {
  const subjects = p.scenes.flatMap((s) => (s.layout === 'single' ? s.keyframes.map((k) => k.subject) : []));
  return subjects.filter((s, i) => i > 0 && s !== subjects[i - 1]).length;
}

const keyframeCount = (p: ReframePath) => p.scenes.reduce((n, s) => n + s.keyframes.length, 0);

function readTurns(truthFile: string) {
  return fs
    .readFileSync(truthFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, , side, start, end] = line.split(',');
      return { side: side as 'left' | 'right', start: Number(start), end: Number(end) };
    });
}

describe.each([
  ['two-people-still-listener', 0.95],
  ['two-people-muted-listener', 0.85],
])('camera plan on %s', (name, bar) => {
  const file = path.join(MEDIA, `conversation/${name}.mp4`);
  let analysis: Analysis;
  let vad: Float32Array;
  beforeAll(async () => {
    analysis = await analyse(file);
    vad = await vadProbabilities(file);
  }, 240_000);

  it(`keeps the true speaker's face inside the crop ≥ ${bar * 100} % of speech time`, () => {
    const { path: p, uncertain } = plan(analysis);
    const turns = readTurns(`${file}.truth.csv`);
    const half = analysis.source.width / 2;
    let counted = 0;
    let within = 0;
    for (let t = 0; t < analysis.source.duration; t += FRAME) {
      const turn = turns.find((u) => t >= u.start + TURN_EDGE && t < u.end - TURN_EDGE);
      if (!turn || (vad[Math.floor(t / VAD_HOP)] ?? 0) < 0.5) continue;
      const speaker = boxesAt(analysis.faces, t).find(({ box }) => (box[0] + box[2] / 2 < half ? 'left' : 'right') === turn.side);
      if (!speaker) continue;
      counted++;
      if (inside(speaker.box, windowOf(p, t))) within++;
    }
    const switches = switchCount(p);
    console.log(
      `planner ${name}: ${((100 * within) / counted).toFixed(1)} % of ${counted} speech frames inside; ` +
        `${switches} switches for ${turns.length} turns; ${p.scenes.length} scenes, ${keyframeCount(p)} keyframes; ` +
        `${uncertain.length} unsure stretches (${uncertain.map((u) => `${u.reason} ${u.start.toFixed(1)}–${u.end.toFixed(1)} s`).join(', ')})`,
    );
    expect(counted).toBeGreaterThan(300);
    expect(within / counted).toBeGreaterThanOrEqual(bar);
    expect(switches).toBeLessThanOrEqual(turns.length + 1);
  });
});

describe.each(['talking-head-1', 'talking-head-4'])('camera plan on %s', (name) => {
  let analysis: Analysis;
  beforeAll(async () => {
    analysis = await analyse(path.join(MEDIA, `talking/${name}.mp4`));
  }, 120_000);

  it('holds the crop perfectly still: one keyframe per scene, one window throughout', () => {
    const { path: p } = plan(analysis);
    console.log(`planner ${name}: ${p.scenes.length} scenes, ${keyframeCount(p)} keyframes, crop ${p.output.width}×${p.output.height}`);
    for (const scene of p.scenes) expect(scene.keyframes).toHaveLength(1);
    const windows = p.scenes.flatMap((s) => (s.layout === 'single' ? s.keyframes.map((k) => `${k.x},${k.y},${k.w},${k.h}`) : ['split']));
    expect(new Set(windows).size).toBe(1);
    const window = windowOf(p, 0);
    const seen = analysis.faces.tracks.flatMap((t) => t.detections.map((d) => d.bbox));
    const framed = seen.filter((box) => inside(box, window)).length;
    console.log(`planner ${name}: face inside the still crop in ${framed} of ${seen.length} detections`);
    expect(framed / seen.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('camera plan across a built scene cut', () => {
  // Two talking heads, 5 s each, on a 1280×720 canvas: the first at the left, the second at the right.
  const CUT = 5;
  let analysis: Analysis;
  beforeAll(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'camera-plan-')), 'cut.mp4');
    const part = (i: number, x: number) =>
      `[${i}:v]trim=duration=${CUT},setpts=PTS-STARTPTS,fps=25,scale=400:400,setsar=1,pad=1280:720:${x}:160:black[v${i}];` +
      `[${i}:a]atrim=duration=${CUT},asetpts=PTS-STARTPTS,aresample=48000,aformat=channel_layouts=mono[a${i}]`;
    const graph = `${part(0, 80)};${part(1, 800)};[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]`;
    const heads = [1, 5].flatMap((n) => ['-i', path.join(MEDIA, `talking/talking-head-${n}.mp4`)]);
    execFileSync(
      'ffmpeg',
      ['-v', 'error', '-y', ...heads, '-filter_complex', graph, '-map', '[v]', '-map', '[a]'].concat([
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-crf',
        '18',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        file,
      ]),
    );
    analysis = await analyse(file);
  }, 120_000);

  it('starts a new scene at the cut and frames each head on its side, with no pan across', () => {
    const { path: p } = plan(analysis);
    console.log(
      `planner cut: scenes ${p.scenes.map((s) => `[${s.start.toFixed(2)}, ${s.end.toFixed(2)}) ${s.keyframes.length} kf`).join(', ')}`,
    );
    // Scene detection places a cut within a frame; two frames leave room for rounding.
    const boundary = p.scenes.slice(1).find((s) => Math.abs(s.start - CUT) <= 2 * FRAME + 1e-6);
    expect(boundary, 'a scene starts at the cut').toBeDefined();
    const before = p.scenes.filter((s) => s.end <= boundary!.start);
    const after = p.scenes.filter((s) => s.start >= boundary!.start);
    const centres = (scenes: typeof p.scenes) =>
      scenes.flatMap((s) => (s.layout === 'single' ? s.keyframes.map((k) => k.x + k.w / 2) : []));
    // Every window before the cut looks at the left head, every one after at the right head: no
    // keyframe sits in between, so no pan crosses the cut.
    for (const c of centres(before)) expect(c).toBeLessThan(640);
    for (const c of centres(after)) expect(c).toBeGreaterThan(640);
    for (const s of p.scenes) for (const k of s.keyframes) expect(k.t >= s.start && k.t < s.end).toBe(true);
    const lastBefore = windowOf(p, boundary!.start - FRAME);
    const first = windowOf(p, boundary!.start);
    const left = boxesAt(analysis.faces, 4.5).find(({ box }) => box[0] < 640);
    const right = boxesAt(analysis.faces, 5.5).find(({ box }) => box[0] > 640);
    expect(left && inside(left.box, lastBefore)).toBe(true);
    expect(right && inside(right.box, first)).toBe(true);
  });
});
