// active_speaker on real footage: ingest, face_tracking_yolov8, then active_speaker. In two-person
// conversations with exact turn truth, the true speaker's track must score higher on the speech
// frames (VAD ≥ 0.5, 0.3 s left out at each turn edge); a lone talking head speaks most of the time;
// without stored face tracking the step fails with missing_dependency.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActiveSpeakerResult } from '../../analysis/active-speaker';
import type { FaceTrackingResult } from '../../analysis/face-tracking-result';
import { VAD_HOP } from '../../analysis/silero-vad';
import { vadProbabilities } from '../vad';
import { cleanupDatabase, ingestFile, MEDIA, readResult, runHandler } from './handler-fixtures';
import { activeSpeakerHandler } from './active-speaker.worker';
import { faceTrackingHandler } from './face-tracking.worker';

afterAll(cleanupDatabase);

const FRAME_WIDTH = 1280;
const TURN_EDGE = 0.3;

async function analyse(file: string) {
  const videoId = await ingestFile(file);
  const faces = await runHandler(faceTrackingHandler, videoId, 'analyze:face_tracking_yolov8', {
    sample_fps: 10,
    min_face_size: 0,
    detector: 'full_range',
  });
  expect(faces.outcome.status).toBe('completed');
  const started = performance.now();
  const { outcome, progress } = await runHandler(activeSpeakerHandler, videoId, 'analyze:active_speaker', {
    face_tracking_model: 'face_tracking_yolov8',
    sample_fps: 25,
  });
  const seconds = (performance.now() - started) / 1000;
  expect(outcome).toEqual({ status: 'completed', resultKey: expect.stringMatching(/results\/active_speaker\.json$/) });
  expect(progress.at(-1)).toBe(1);
  return {
    seconds,
    tracking: await readResult<FaceTrackingResult>(videoId, 'face_tracking_yolov8'),
    result: await readResult<ActiveSpeakerResult>(videoId, 'active_speaker'),
  };
}

/** Share of speech frames at which the true speaker's track scores higher than the other track. */
async function conversationAccuracy(file: string, truthFile: string) {
  const { seconds, tracking, result } = await analyse(file);
  expect(result).toMatchObject({ model: 'active_speaker', video_fps: 25, track_count: 2 });
  const sideOf = (faceId: number) => {
    const d = tracking.tracks.find((t) => t.face_id === faceId)!.detections;
    const centre = d.reduce((s, x) => s + x.bbox[0] + x.bbox[2] / 2, 0) / d.length;
    return centre < FRAME_WIDTH / 2 ? 'left' : 'right';
  };
  const scores = new Map(result.tracks.map((t) => [sideOf(t.face_id), new Map(t.scores.map((s) => [s.frame_number, s.score]))]));
  expect([...scores.keys()].sort()).toEqual(['left', 'right']);
  const turns = fs
    .readFileSync(truthFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, , side, start, end] = line.split(',');
      return { side: side!, start: Number(start), end: Number(end) };
    });
  const vad = await vadProbabilities(file);
  let right = 0;
  let counted = 0;
  for (const s of result.tracks[0]!.scores) {
    const turn = turns.find((t) => s.timestamp >= t.start + TURN_EDGE && s.timestamp < t.end - TURN_EDGE);
    if (!turn || (vad[Math.floor(s.timestamp / VAD_HOP)] ?? 0) < 0.5) continue;
    const speaker = scores.get(turn.side)!.get(s.frame_number);
    const listener = scores.get(turn.side === 'left' ? 'right' : 'left')!.get(s.frame_number);
    if (speaker === undefined || listener === undefined) continue;
    counted++;
    if (speaker > listener) right++;
  }
  expect(counted).toBeGreaterThan(300);
  const duration = result.total_frames / result.video_fps;
  console.log(
    `active_speaker ${path.basename(file)}: ${((100 * right) / counted).toFixed(1)} % of ${counted} speech frames; ` +
      `${seconds.toFixed(1)} s for ${duration.toFixed(1)} s (${(seconds / duration).toFixed(2)} s per second)`,
  );
  return right / counted;
}

describe('active_speaker', () => {
  it('finds the speaker when the listener is frozen', { timeout: 120_000 }, async () => {
    const file = path.join(MEDIA, 'conversation/two-people-still-listener.mp4');
    expect(await conversationAccuracy(file, `${file}.truth.csv`)).toBeGreaterThanOrEqual(0.97);
  });

  it('finds the speaker when the listener’s lips move without sound', { timeout: 120_000 }, async () => {
    const file = path.join(MEDIA, 'conversation/two-people-muted-listener.mp4');
    expect(await conversationAccuracy(file, `${file}.truth.csv`)).toBeGreaterThanOrEqual(0.85);
  });

  it('finds the speaker in a conversation built from two other talking heads', { timeout: 120_000 }, async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conversation-')), 'five-two-muted.mp4');
    execFileSync('bash', [
      path.join(MEDIA, 'make-conversation.sh'),
      path.join(MEDIA, 'talking/talking-head-5.mp4'),
      path.join(MEDIA, 'talking/talking-head-2.mp4'),
      file,
      'muted',
    ]);
    expect(await conversationAccuracy(file, `${file}.truth.csv`)).toBeGreaterThanOrEqual(0.85);
  });

  it('lets a lone talking head speak most of the time', { timeout: 60_000 }, async () => {
    const { result } = await analyse(path.join(MEDIA, 'talking/talking-head-1.mp4'));
    expect(result.track_count).toBe(1);
    const [face] = result.tracks;
    console.log(`active_speaker talking-head-1: speaking_fraction ${face!.speaking_fraction}`);
    expect(face!.speaking_fraction).toBeGreaterThan(0.6);
    // A variable-rate clip (30 fps nominal, 22 on average): 25 a second keeps ~120 of its 134 frames.
    expect(face!.scores.length).toBeGreaterThanOrEqual(110);
    expect(face!.first_seen).toBeLessThan(0.1);
    expect(face!.last_seen).toBeGreaterThan(6);
    expect(face!.scores[0]).toEqual({
      timestamp: expect.any(Number),
      frame_number: expect.any(Number),
      score: expect.any(Number),
      speaking: expect.any(Boolean),
    });
  });

  it('fails with missing_dependency when the faces were not tracked', async () => {
    const videoId = await ingestFile(path.join(MEDIA, 'talking/talking-head-5.mp4'));
    const { outcome } = await runHandler(activeSpeakerHandler, videoId, 'analyze:active_speaker', {});
    expect(outcome).toMatchObject({ status: 'failed', code: 'missing_dependency', message: expect.stringMatching(/face_tracking_yolov8/) });
  });
});
