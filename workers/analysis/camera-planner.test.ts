// Unit tests for the camera planner on synthetic face tracks and speaker scores: stillness, bounded
// pans, hard cuts on a change of speaker, held interjections, shot length, scene cuts, sizes, layouts,
// pins and the unsure stretches. Fed hand-made tracks; returns nothing (vitest assertions).
import { describe, expect, it } from 'vitest';
import type { ActiveSpeakerResult } from './active-speaker';
import { planCamera, type CameraPlanInput } from './camera-planner';
import type { FaceTrackingResult } from './face-tracking-result';
import type { Box } from './letterbox';
import { lerpWindow, sceneAt, windowAt, type ReframePath, type SingleKeyframe } from './reframe-path';

const HD = { width: 1920, height: 1080 };
const LEFT: Box = [250, 300, 220, 280];
const RIGHT: Box = [1450, 320, 220, 280];

/** A track sampled at 10 fps over [from, to) with the box `at(t)` (null: not detected then). */
function track(face_id: number, at: (t: number) => Box | null, from = 0, to = 10) {
  const detections = [];
  for (let i = Math.round(from * 10); i < Math.round(to * 10); i++) {
    const t = i / 10;
    const box = at(t);
    if (box) detections.push({ timestamp: t, frame_number: Math.round(t * 25), bbox: box, score: 0.9, landmarks: null });
  }
  return { face_id, first_seen: detections[0]?.timestamp ?? 0, last_seen: detections.at(-1)?.timestamp ?? 0, detections };
}

function faces(...tracks: ReturnType<typeof track>[]): FaceTrackingResult {
  return { model: 'face_tracking_yolov8', video_fps: 25, total_frames: 250, sample_fps: 10, track_count: tracks.length, tracks };
}

/** Scores at 25 fps over [0, duration) for each face id. */
function speakers(scores: Record<number, (t: number) => number>, duration = 10): ActiveSpeakerResult {
  const tracks = Object.entries(scores).map(([id, score]) => {
    const s = Array.from({ length: Math.round(duration * 25) }, (_, i) => {
      const v = score(i / 25);
      return { timestamp: i / 25, frame_number: i, score: v, speaking: v >= 0.5 };
    });
    return { face_id: Number(id), first_seen: 0, last_seen: duration, speaking_fraction: 0, scores: s };
  });
  return { model: 'active_speaker', video_fps: 25, total_frames: duration * 25, track_count: tracks.length, tracks };
}

const during = (spans: [number, number][]) => (t: number) => (spans.some(([a, b]) => t >= a && t < b) ? 0.9 : 0.1);
/** Detector jitter of a few pixels, deterministic. */
const jitter = (box: Box, t: number): Box => [
  box[0] + 3 * Math.sin(t * 7.3),
  box[1] + 2 * Math.cos(t * 5.1),
  box[2] + 2 * Math.sin(t * 3),
  box[3],
];

function input(parts: Partial<CameraPlanInput> & Pick<CameraPlanInput, 'faces'>, duration = 10): CameraPlanInput {
  return { source: { ...HD, duration }, ...parts };
}

function singleAt(path: ReframePath, t: number): SingleKeyframe {
  const scene = sceneAt(path, t)!;
  if (scene.layout !== 'single') throw new Error('not a single scene');
  return windowAt(scene.keyframes, t, lerpWindow);
}

const inside = (box: Box, w: { x: number; y: number; w: number; h: number }) =>
  box[0] >= w.x - 1e-6 && box[1] >= w.y - 1e-6 && box[0] + box[2] <= w.x + w.w + 1e-6 && box[1] + box[3] <= w.y + w.h + 1e-6;

const VMAX = 0.5 * 608;
const AMAX = 1 * 608;

/** Greatest speed and acceleration of the window across, measured over 0.2 s steps: keyframes every
 *  few frames make the interpolated path piecewise linear, and its corners are not the camera's. */
function kinematics(path: ReframePath): { speed: number; acceleration: number } {
  const h = 0.2;
  const xs: number[] = [];
  for (let t = path.start; t <= path.end; t += h) xs.push(singleAt(path, t).x);
  const v = xs.slice(1).map((x, i) => (x - xs[i]!) / h);
  const a = v.slice(1).map((x, i) => (x - v[i]!) / h);
  return { speed: Math.max(...v.map(Math.abs)), acceleration: Math.max(...a.map(Math.abs)) };
}

/** Subject changes along the path, sampled every frame: [time, subject]. */
function switches(path: ReframePath): [number, number | null][] {
  const out: [number, number | null][] = [];
  let last: number | null | undefined;
  for (let t = path.start; t < path.end; t += 0.04) {
    const s = singleAt(path, t).subject;
    if (s !== last) out.push([t, s]);
    last = s;
  }
  return out.slice(1);
}

describe('planCamera: a still subject', () => {
  it('holds one keyframe for a whole scene while the face only jitters', () => {
    const { path } = planCamera(input({ faces: faces(track(1, (t) => jitter([850, 300, 220, 280], t))) }));
    expect(path.scenes).toHaveLength(1);
    const [scene] = path.scenes;
    expect(scene!.keyframes).toEqual([{ t: 0, x: expect.any(Number), y: 0, w: 608, h: 1080, subject: 1 }]);
    const kf = scene!.keyframes[0] as SingleKeyframe;
    expect(kf.x + kf.w / 2).toBeCloseTo(960, -1);
  });

  it('frames the centre with nobody when there are no faces', () => {
    const { path, uncertain } = planCamera(input({ faces: faces() }));
    expect(path.scenes[0]!.keyframes).toEqual([{ t: 0, x: 656, y: 0, w: 608, h: 1080, subject: null }]);
    expect(uncertain).toEqual([]);
  });

  it('frames the larger, more central face when nobody speaks', () => {
    const small: Box = [100, 400, 120, 150];
    const big: Box = [1100, 300, 260, 320];
    const { path } = planCamera(
      input({
        faces: faces(
          track(1, () => small),
          track(2, () => big),
        ),
      }),
    );
    expect(path.scenes[0]!.keyframes).toHaveLength(1);
    expect(path.scenes[0]!.keyframes[0]).toMatchObject({ subject: 2 });
  });
});

describe('planCamera: a moving subject', () => {
  // Walks 1200 px right in 8 s (150 px/s) after standing still for 1 s, then stands again.
  const walk = (t: number): Box => [200 + 1200 * Math.min(1, Math.max(0, (t - 1) / 8)), 300, 220, 280];
  const { path } = planCamera(input({ faces: faces(track(1, walk, 0, 12)) }, 12));
  const keyframes = path.scenes[0]!.keyframes as SingleKeyframe[];

  it('pans with bounded velocity and acceleration', () => {
    const { speed, acceleration } = kinematics(path);
    expect(speed).toBeLessThanOrEqual(VMAX * 1.05);
    expect(acceleration).toBeLessThanOrEqual(AMAX * 1.5);
    expect(keyframes.at(-1)!.x).toBeGreaterThan(keyframes[0]!.x + 1000);
  });

  it('keeps the face inside the window all along, with sparse keyframes', () => {
    for (let t = 0; t < 12; t += 0.04) expect(inside(walk(t), singleAt(path, t))).toBe(true);
    expect(keyframes.length).toBeGreaterThan(3);
    expect(keyframes.length).toBeLessThan(60);
    expect(new Set(keyframes.map((k) => k.t)).size).toBe(keyframes.length);
  });

  it('follows a quick move of the same face with a pan at the speed limit, not a cut', () => {
    // 600 px in half a second (1200 px/s), four times the camera's top speed.
    const dash = (t: number): Box => [300 + 600 * Math.min(1, Math.max(0, (t - 3) / 0.5)), 300, 220, 280];
    const { path: p } = planCamera(input({ faces: faces(track(1, dash)) }));
    expect(p.scenes[0]!.keyframes.every((k, i, all) => i === 0 || k.t > all[i - 1]!.t)).toBe(true);
    const { speed, acceleration } = kinematics(p);
    expect(speed).toBeLessThanOrEqual(VMAX * 1.05);
    expect(speed).toBeGreaterThan(VMAX * 0.8);
    expect(acceleration).toBeLessThanOrEqual(AMAX * 1.5);
    expect(inside(dash(9), singleAt(p, 9))).toBe(true);
  });

  it('never leaves the frame, even for faces at its edges', () => {
    const edges = faces(
      track(1, () => [0, 200, 200, 260], 0, 5),
      track(2, () => [1760, 200, 160, 200], 5, 10),
    );
    const { path: edgy } = planCamera(
      input({
        faces: edges,
        scenes: [
          { start: 0, end: 5 },
          { start: 5, end: 10 },
        ],
      }),
    );
    for (const scene of edgy.scenes) {
      for (const k of scene.keyframes as SingleKeyframe[]) {
        expect(k.x).toBeGreaterThanOrEqual(0);
        expect(k.x + k.w).toBeLessThanOrEqual(1920);
        expect(k.y).toBeGreaterThanOrEqual(0);
        expect(k.y + k.h).toBeLessThanOrEqual(1080);
      }
    }
    expect(edgy.scenes.map((s) => (s.keyframes[0] as SingleKeyframe).x)).toEqual([0, 1312]);
  });
});

describe('planCamera: who is framed', () => {
  const two = faces(
    track(1, (t) => jitter(LEFT, t)),
    track(2, (t) => jitter(RIGHT, t)),
  );

  it('cuts (two keyframes at one time), never pans, when the speaker changes', () => {
    const { path } = planCamera(input({ faces: two, speakers: speakers({ 1: during([[0, 5]]), 2: during([[5, 10]]) }) }));
    const keyframes = path.scenes[0]!.keyframes as SingleKeyframe[];
    expect(keyframes).toHaveLength(3);
    const [a, b, c] = keyframes;
    expect(b!.t).toBe(c!.t);
    expect(b!.t).toBeCloseTo(5, 1);
    expect([a!.x, a!.subject]).toEqual([b!.x, 1]);
    expect(c!.subject).toBe(2);
    expect(inside(LEFT, singleAt(path, b!.t - 0.04))).toBe(true);
    expect(inside(RIGHT, singleAt(path, c!.t))).toBe(true);
    expect(switches(path)).toHaveLength(1);
  });

  it('pans instead of cutting to a new speaker right beside the old one', () => {
    const near = faces(
      track(1, () => [800, 300, 200, 260]),
      track(2, () => [910, 320, 200, 260]),
    );
    const { path } = planCamera(input({ faces: near, speakers: speakers({ 1: during([[0, 5]]), 2: during([[5, 10]]) }) }));
    const keyframes = path.scenes[0]!.keyframes as SingleKeyframe[];
    expect(new Set(keyframes.map((k) => k.t)).size).toBe(keyframes.length);
    // The camera settles within 2 % of the crop width of its target.
    expect(Math.abs(keyframes.at(-1)!.x - keyframes[0]!.x - 110)).toBeLessThanOrEqual(0.02 * 608);
    expect(switches(path)).toHaveLength(1);
  });

  it('holds the speaker through an interjection shorter than a second', () => {
    const { path } = planCamera(
      input({
        faces: two,
        speakers: speakers({
          1: during([
            [0, 4],
            [4.7, 10],
          ]),
          2: during([[4, 4.7]]),
        }),
      }),
    );
    expect(path.scenes[0]!.keyframes).toEqual([expect.objectContaining({ t: 0, subject: 1 })]);
  });

  it('keeps every shot at least 1.5 s long', () => {
    // B answers for 1.2 s (a real switch), A takes over again at once.
    const { path } = planCamera(
      input({
        faces: two,
        speakers: speakers({
          1: during([
            [0, 3],
            [4.2, 10],
          ]),
          2: during([[3, 4.2]]),
        }),
      }),
    );
    const changes = switches(path);
    expect(changes.map(([, s]) => s)).toEqual([2, 1]);
    expect(changes[0]![0]).toBeCloseTo(3, 1);
    expect(changes[1]![0] - changes[0]![0]).toBeGreaterThanOrEqual(1.5 - 1e-6);
  });

  it('opens a scene on its first speaker', () => {
    const { path } = planCamera(input({ faces: two, speakers: speakers({ 1: () => 0.1, 2: during([[2, 10]]) }) }));
    expect(path.scenes[0]!.keyframes).toEqual([expect.objectContaining({ t: 0, subject: 2 })]);
  });

  it('follows diarization linked to faces when there are no speaker scores', () => {
    const diarization = {
      segments: [
        { start: 0, end: 6, speaker: 'S0', face_id: 2 },
        { start: 6, end: 10, speaker: 'S1', face_id: 1 },
      ],
    };
    const { path } = planCamera(input({ faces: two, diarization }));
    expect(switches(path).map(([t, s]) => [Math.round(t * 10) / 10, s])).toEqual([[6, 1]]);
    expect(singleAt(path, 1).subject).toBe(2);
  });

  it('lets pins win over the heuristic', () => {
    const { path, uncertain } = planCamera(
      input({ faces: two, speakers: speakers({ 1: () => 0.9, 2: () => 0.1 }), pins: [{ start: 3, end: 6, face_id: 2 }] }),
    );
    expect(switches(path).map(([t, s]) => [Math.round(t * 10) / 10, s])).toEqual([
      [3, 2],
      [6, 1],
    ]);
    expect(uncertain).toEqual([]);
  });

  it('ignores a pin on a face the scene does not show', () => {
    const { path } = planCamera(
      input({ faces: two, speakers: speakers({ 1: () => 0.9, 2: () => 0.1 }), pins: [{ start: 3, end: 6, face_id: 7 }] }),
    );
    expect(switches(path)).toEqual([]);
  });
});

describe('planCamera: unsure stretches', () => {
  const two = faces(
    track(1, () => LEFT),
    track(2, () => RIGHT),
  );

  it('reports a low margin between two faces', () => {
    const { uncertain } = planCamera(
      input({ faces: two, speakers: speakers({ 1: (t) => (t >= 2 && t < 5 ? 0.6 : 0.9), 2: (t) => (t >= 2 && t < 5 ? 0.45 : 0.1) }) }),
    );
    expect(uncertain).toEqual([{ start: 2, end: 5, candidates: [1, 2], reason: 'low_margin' }]);
  });

  it('reports overlapping speech and silence, but not a clear speaker', () => {
    const { uncertain } = planCamera(
      input({ faces: two, speakers: speakers({ 1: (t) => (t < 7 ? 0.9 : 0.1), 2: (t) => (t >= 3 && t < 5 ? 0.8 : 0.1) }) }),
    );
    expect(uncertain).toEqual([
      { start: 3, end: 5, candidates: [1, 2], reason: 'overlap' },
      { start: 7, end: 10, candidates: [1, 2], reason: 'no_speaker' },
    ]);
  });

  it('says nothing about stretches shorter than a second or with one face', () => {
    const short = planCamera(input({ faces: two, speakers: speakers({ 1: () => 0.9, 2: (t) => (t >= 3 && t < 3.5 ? 0.8 : 0.1) }) }));
    expect(short.uncertain).toEqual([]);
    const lone = planCamera(input({ faces: faces(track(1, () => LEFT)), speakers: speakers({ 1: () => 0.1 }) }));
    expect(lone.uncertain).toEqual([]);
  });
});

describe('planCamera: scenes and span', () => {
  const cutInput = input({
    faces: faces(
      track(1, (t) => jitter(LEFT, t), 0, 5),
      track(2, (t) => jitter(RIGHT, t), 5, 10),
    ),
    scenes: [
      { start: 0, end: 5 },
      { start: 5, end: 10 },
    ],
  });

  it('starts a new scene at a cut, so nothing is interpolated across it', () => {
    const { path } = planCamera(cutInput);
    expect(path.scenes.map((s) => [s.start, s.end, s.keyframes.length])).toEqual([
      [0, 5, 1],
      [5, 10, 1],
    ]);
    expect(inside(LEFT, singleAt(path, 4.99))).toBe(true);
    expect(inside(RIGHT, singleAt(path, 5))).toBe(true);
    expect(path.scenes[1]!.keyframes[0]).toMatchObject({ t: 5, subject: 2 });
  });

  it('keeps every keyframe inside its scene, in time order, with fractional scene times', () => {
    const scenes = [
      { start: 0.021016, end: 5.040016 },
      { start: 5.040016, end: 10 },
    ];
    const speaking = speakers({ 1: during([[0, 5]]), 2: during([[5, 10]]) });
    const both = faces(
      track(1, (t) => jitter(LEFT, t)),
      track(2, (t) => jitter(RIGHT, t)),
    );
    const { path } = planCamera({ ...cutInput, faces: both, speakers: speaking, scenes });
    expect(path.scenes.map((s) => [s.start, s.end])).toEqual([
      [0, 5.040016],
      [5.040016, 10],
    ]);
    for (const scene of path.scenes) {
      scene.keyframes.forEach((k, i) => {
        expect(k.t).toBeGreaterThanOrEqual(scene.start);
        expect(k.t).toBeLessThan(scene.end);
        if (i > 0) expect(k.t).toBeGreaterThanOrEqual(scene.keyframes[i - 1]!.t);
      });
    }
  });

  it('plans only the requested span, scenes clipped to it', () => {
    const { path } = planCamera(cutInput, { start: 2, end: 8 });
    expect([path.start, path.end]).toEqual([2, 8]);
    expect(path.scenes.map((s) => [s.start, s.end])).toEqual([
      [2, 5],
      [5, 8],
    ]);
    expect(path.scenes[0]!.keyframes[0]!.t).toBe(2);
  });

  it('covers the span with one scene when scene detection found none', () => {
    const { path } = planCamera({ ...cutInput, scenes: [] });
    expect(path.scenes.map((s) => [s.start, s.end])).toEqual([[0, 10]]);
  });
});

describe('planCamera: sizes', () => {
  const one = faces(track(1, () => [900, 300, 200, 260]));
  it.each([
    ['9:16', { w: 608, h: 1080 }, { width: 608, height: 1080 }],
    ['1:1', { w: 1080, h: 1080 }, { width: 1080, height: 1080 }],
    ['4:5', { w: 864, h: 1080 }, { width: 864, height: 1080 }],
    ['16:9', { w: 1920, h: 1080 }, { width: 1920, height: 1080 }],
    ['7:3', { w: 1920, h: 822 }, { width: 1918, height: 822 }],
    ['2:3', { w: 720, h: 1080 }, { width: 720, height: 1080 }],
  ])('%s: the largest window of the aspect, output no larger than it', (aspectRatio, crop, output) => {
    const { path } = planCamera(input({ faces: one }), { aspectRatio });
    expect(path.aspect_ratio).toBe(aspectRatio);
    expect(path.output).toEqual(output);
    expect(path.scenes[0]!.keyframes[0]).toMatchObject(crop);
  });

  it('upscales to the output height only when allowed, and lowers it on request', () => {
    expect(planCamera(input({ faces: one }), { allowUpscale: true }).path.output).toEqual({ width: 1080, height: 1920 });
    expect(planCamera(input({ faces: one }), { outputHeight: 720 }).path.output).toEqual({ width: 406, height: 720 });
    const small = planCamera({ source: { width: 1280, height: 720, duration: 10 }, faces: one });
    expect(small.path.output).toEqual({ width: 406, height: 720 });
    expect(small.path.scenes[0]!.keyframes[0]).toMatchObject({ w: 406, h: 720 });
  });

  it('moves the window vertically with headroom when it is shorter than the frame', () => {
    const portrait = { width: 1080, height: 1920, duration: 10 };
    const { path } = planCamera({ source: portrait, faces: faces(track(1, () => [400, 1200, 240, 300])) }, { aspectRatio: '16:9' });
    const kf = path.scenes[0]!.keyframes[0] as SingleKeyframe;
    expect([kf.w, kf.h, kf.x]).toEqual([1080, 608, 0]);
    expect(1200 - kf.y).toBeGreaterThanOrEqual(0.3 * 300);
    expect(inside([400, 1200, 240, 300], kf)).toBe(true);
  });

  it('rejects an aspect ratio that is not W:H', () => {
    expect(() => planCamera(input({ faces: one }), { aspectRatio: 'tall' })).toThrow(RangeError);
  });
});

describe('planCamera: layouts', () => {
  // Turns of 2 s: a quick exchange.
  const quick = input({
    faces: faces(
      track(1, () => RIGHT),
      track(2, () => LEFT),
    ),
    speakers: speakers({
      1: during([
        [0, 2],
        [4, 6],
        [8, 10],
      ]),
      2: during([
        [2, 4],
        [6, 8],
      ]),
    }),
  });

  it('auto splits a quick exchange, left-most face on top, each pane half the output', () => {
    const { path } = planCamera(quick, { layout: 'auto' });
    const [scene] = path.scenes;
    expect(scene!.layout).toBe('split');
    if (scene!.layout !== 'split') return;
    expect(scene!.keyframes).toHaveLength(1);
    const [top, bottom] = scene!.keyframes[0]!.panes;
    expect([top!.subject, bottom!.subject]).toEqual([2, 1]);
    expect(top!.w / top!.h).toBeCloseTo(path.output.width / (path.output.height / 2), 2);
    expect(top!.h).toBeGreaterThanOrEqual(path.output.height / 2);
    expect(inside(LEFT, top!)).toBe(true);
    expect(inside(RIGHT, bottom!)).toBe(true);
  });

  it('auto keeps one window for long turns, single is the default, split needs two faces', () => {
    const slow = { ...quick, speakers: speakers({ 1: during([[0, 5]]), 2: during([[5, 10]]) }) };
    expect(planCamera(slow, { layout: 'auto' }).path.scenes[0]!.layout).toBe('single');
    expect(planCamera(quick).path.scenes[0]!.layout).toBe('single');
    expect(planCamera(slow, { layout: 'split' }).path.scenes[0]!.layout).toBe('split');
    expect(planCamera(input({ faces: faces(track(1, () => LEFT)) }), { layout: 'split' }).path.scenes[0]!.layout).toBe('single');
  });
});
