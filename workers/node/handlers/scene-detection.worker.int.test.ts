// scene_detection on real footage: hamilton-cuts.mp4's three cuts, and exact-cut concatenations of
// different real talking heads made here with ffmpeg (hard cuts at known frames, and a 1 s fade)
// — every cut within ±1 frame and no false cut inside a shot (F1 = 1.0).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handler-fixtures';
import { sceneDetectionHandler } from './scene-detection.worker';

afterAll(cleanupDatabase);

type Scenes = {
  model: string;
  video_fps: number;
  total_frames: number;
  scenes: { index: number; start: number; end: number; start_frame: number; end_frame: number }[];
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenes-'));
const heads = [1, 2, 4, 5].map((n) => path.join(MEDIA, `talking/talking-head-${n}.mp4`));

/** Joins the first `seconds[i]` of each clip at 25 fps, 320×320; returns the file and the cut frames. */
function concat(name: string, seconds: number[], fade = false): { file: string; cuts: number[] } {
  const file = path.join(dir, name);
  const inputs = seconds.flatMap((_, i) => ['-i', heads[i]!]);
  const norm = seconds
    .map((s, i) => `[${i}:v]trim=duration=${s},setpts=PTS-STARTPTS,fps=25,scale=320:320,setsar=1,format=yuv420p[v${i}]`)
    .join(';');
  let graph: string;
  const cuts: number[] = [];
  if (fade) {
    // One 1 s fade between two clips: the cut belongs inside the 25 frames of the transition.
    graph = `${norm};[v0][v1]xfade=transition=fade:duration=1:offset=${seconds[0]! - 1}[out]`;
    cuts.push(Math.round((seconds[0]! - 0.5) * 25));
  } else {
    graph = `${norm};${seconds.map((_, i) => `[v${i}]`).join('')}concat=n=${seconds.length}:v=1:a=0[out]`;
    let at = 0;
    for (const s of seconds.slice(0, -1)) cuts.push((at += Math.round(s * 25)));
  }
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '18',
    file,
  ]);
  return { file, cuts };
}

async function detect(file: string) {
  const videoId = await ingestFile(file);
  const { outcome, progress } = await runHandler(sceneDetectionHandler, videoId, 'analyze:scene_detection', {});
  expect(outcome.status).toBe('completed');
  expect(progress.length).toBeGreaterThan(0);
  return readResult<Scenes>(videoId, 'scene_detection');
}

const cutsOf = (r: Scenes) => r.scenes.slice(1).map((s) => s.start_frame);

function expectCuts(found: number[], expected: number[], tolerance = 1) {
  expect(found).toHaveLength(expected.length);
  found.forEach((f, i) => expect(Math.abs(f - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

describe('scene_detection', () => {
  it('finds the three cuts of hamilton-cuts.mp4 with presentation times from the start of the file', async () => {
    const r = await detect(path.join(MEDIA, 'scenes/hamilton-cuts.mp4'));
    expect(r).toMatchObject({ model: 'scene_detection', total_frames: 275 });
    expect(r.video_fps).toBeCloseTo(29.97, 2);
    expectCuts(cutsOf(r), [20, 82, 211]);
    expect(r.scenes.map((s) => s.start)).toEqual([
      expect.closeTo(0.852, 3),
      expect.closeTo(1.52, 1),
      expect.closeTo(3.58, 1),
      expect.closeTo(7.89, 1),
    ]);
    expect(r.scenes[0]).toMatchObject({ index: 0, start_frame: 0, end_frame: r.scenes[1]!.start_frame - 1 });
    expect(r.scenes.at(-1)).toMatchObject({ end_frame: 274, end: expect.closeTo(10.0, 0) });
  });

  it('finds exact hard cuts between different real people and none inside the shots', async () => {
    const { file, cuts } = concat('hard.mp4', [3.2, 2.4, 3.6, 2.8]);
    expectCuts(cutsOf(await detect(file)), cuts);
  });

  it('puts exactly one cut inside a 1 s fade between two clips', async () => {
    const { file, cuts } = concat('fade.mp4', [4, 4], true);
    const found = cutsOf(await detect(file));
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]! - cuts[0]!)).toBeLessThanOrEqual(2);
  });

  it('finds no cut in continuous shots', async () => {
    for (const file of [heads[0]!, path.join(MEDIA, 'conversation/two-people-still-listener.mp4')]) {
      expect(cutsOf(await detect(file))).toEqual([]);
    }
  });
});
