// face_tracking_yolov8 on real footage with the built-in BlazeFace models: one track per talking head
// covering ≥ 95 % of the sampled frames, exactly two side-fixed tracks in the two-person conversations,
// one track for a face that moves across the frame, and tracks that end at stored scene cuts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handler-fixtures';
import { faceTrackingHandler } from './face-tracking.worker';
import { sceneDetectionHandler } from './scene-detection.worker';

afterAll(cleanupDatabase);

type Result = {
  model: string;
  video_fps: number;
  total_frames: number;
  sample_fps: number;
  track_count: number;
  tracks: {
    face_id: number;
    first_seen: number;
    last_seen: number;
    detections: { timestamp: number; frame_number: number; bbox: number[]; score: number; landmarks: number[][] | null }[];
  }[];
};

async function track(file: string, params: Record<string, unknown> = {}, withScenes = false) {
  const videoId = await ingestFile(file);
  if (withScenes) await runHandler(sceneDetectionHandler, videoId, 'analyze:scene_detection', { threshold: 3, min_scene_len: 0.6 });
  const { outcome, progress } = await runHandler(faceTrackingHandler, videoId, 'analyze:face_tracking_yolov8', {
    sample_fps: 10,
    min_face_size: 0,
    detector: 'full_range',
    ...params,
  });
  expect(outcome.status).toBe('completed');
  expect(progress.at(-1)).toBeGreaterThan(0.5);
  return readResult<Result>(videoId, 'face_tracking_yolov8');
}

/** Sampled frames: one per 1/sample_fps slot of the video's frames. */
const sampledFrames = (r: Result) => Math.round((r.total_frames / r.video_fps) * r.sample_fps);

describe('face_tracking_yolov8', () => {
  it.each([1, 2, 4, 5])('finds one face covering the whole of talking-head-%i', async (n) => {
    const r = await track(path.join(MEDIA, `talking/talking-head-${n}.mp4`));
    expect(r.track_count).toBe(1);
    const [face] = r.tracks;
    expect(face!.face_id).toBe(1);
    expect(face!.detections.length / sampledFrames(r)).toBeGreaterThanOrEqual(0.95);
    const d = face!.detections[0]!;
    expect(d.bbox).toHaveLength(4);
    expect(d.landmarks).toHaveLength(6);
    expect(d.score).toBeGreaterThan(0.5);
    expect(d.timestamp).toBeCloseTo(d.frame_number / r.video_fps, 1);
  });

  it.each(['still', 'muted'])('finds exactly two faces in the two-people-%s-listener conversation, never swapping sides', async (kind) => {
    const r = await track(path.join(MEDIA, `conversation/two-people-${kind}-listener.mp4`));
    expect(r).toMatchObject({ model: 'face_tracking_yolov8', sample_fps: 10, track_count: 2 });
    expect(r.video_fps).toBe(25);
    const width = 1280;
    const sides = r.tracks.map((t) => {
      const centres = t.detections.map((d) => d.bbox[0]! + d.bbox[2]! / 2);
      const left = centres.every((c) => c < width / 2);
      const right = centres.every((c) => c > width / 2);
      expect(left || right).toBe(true);
      expect(t.detections.length / sampledFrames(r)).toBeGreaterThanOrEqual(0.9);
      return left ? 'left' : 'right';
    });
    expect(new Set(sides)).toEqual(new Set(['left', 'right']));
  });

  it('keeps one track for a face that moves across the frame', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pan-')), 'pan.mp4');
    // A 16:9 window panning over a square talking head: the face travels 244 px across a 600 px frame.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      path.join(MEDIA, 'talking/talking-head-2.mp4'),
      '-vf',
      "crop=600:338:x='min(244,t*244/4.5)':y=200",
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file,
    ]);
    const r = await track(file);
    expect(r.track_count).toBe(1);
    const xs = r.tracks[0]!.detections.map((d) => d.bbox[0]! + d.bbox[2]! / 2);
    expect(xs[0]! - xs.at(-1)!).toBeGreaterThan(150);
  });

  it('ends tracks at the cuts of a stored scene_detection result', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cut-')), 'cut.mp4');
    // The same person before and after a hard cut to a zoomed view: without the cut, one track.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      path.join(MEDIA, 'talking/talking-head-4.mp4'),
      '-filter_complex',
      '[0:v]split[a][b];[a]trim=0:3,setpts=PTS-STARTPTS,scale=480:480[x];[b]trim=3:6,setpts=PTS-STARTPTS,crop=560:560:70:40,scale=480:480[y];[x][y]concat=n=2:v=1[v]',
      '-map',
      '[v]',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file,
    ]);
    expect((await track(file)).track_count).toBe(1);
    const r = await track(file, {}, true);
    expect(r.track_count).toBe(2);
    expect(r.tracks[0]!.last_seen).toBeLessThan(3.05);
    expect(r.tracks[1]!.first_seen).toBeGreaterThanOrEqual(2.95);
  });

  it('ignores faces smaller than min_face_size', async () => {
    const r = await track(path.join(MEDIA, 'talking/talking-head-2.mp4'), { min_face_size: 2000 });
    expect(r.track_count).toBe(0);
    expect(r.tracks).toEqual([]);
  });
});
