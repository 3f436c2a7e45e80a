// Segmented decoding on real files gives exactly what one ffmpeg over the whole file gives: the same
// frames (numbers, presentation times, pixels) and so the same cuts, on a generated clip with
// B-frames and hard cuts away from its keyframes and on hamilton-cuts.mp4 (starts late, a keyframe on
// a cut); and it falls back to one decode when the probe fails or a segment does not line up.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SceneDetector } from '../analysis/scene-detector';
import { decodeFrames, type RgbFrame } from './frame-source';
import { decodeFramesInSegments } from './segmented-frame-source';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');
const hamilton = { input: path.join(MEDIA, 'scenes/hamilton-cuts.mp4'), width: 160, height: 90, frames: 275, duration: 10.008 };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-'));

/** 3 shots of 60 frames at 25 fps, 320×180, B-frames and a keyframe every 50 frames (cuts at 60, 120). */
function generatedClip(): typeof hamilton {
  const input = path.join(dir, 'cuts.mp4');
  const shots = ['testsrc2', 'smptebars', 'rgbtestsrc'].map((s) => `${s}=size=320x180:rate=25:duration=2.4`);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...shots.flatMap((s) => ['-f', 'lavfi', '-i', s]),
    '-filter_complex',
    '[0:v][1:v][2:v]concat=n=3:v=1[v]',
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-bf',
    '2',
    '-g',
    '50',
    '-sc_threshold',
    '0',
    '-pix_fmt',
    'yuv420p',
    input,
  ]);
  return { input, width: 160, height: 90, frames: 180, duration: 7.2 };
}

type Seen = { frame: number; timestamp: number; pts?: number; digest: string }[];

async function collect(frames: AsyncGenerator<RgbFrame>): Promise<{ seen: Seen; cuts: number[] }> {
  const seen: Seen = [];
  const detector = new SceneDetector();
  const cuts: number[] = [];
  for await (const f of frames) {
    seen.push({ frame: f.frame, timestamp: f.timestamp, pts: f.pts, digest: createHash('sha1').update(f.data).digest('hex') });
    cuts.push(
      ...detector.push({ index: f.frame, timestamp: f.timestamp, width: f.width, height: f.height, data: f.data }).map((c) => c.frame),
    );
  }
  cuts.push(...detector.flush().map((c) => c.frame));
  return { seen, cuts };
}

/** A stand-in for ffprobe that reports the given keyframe pts at every target. */
function fakeProbe(timeBase: string, keyframe: number): string {
  const file = path.join(dir, `probe-${keyframe}.sh`);
  const json = JSON.stringify({
    streams: [{ time_base: timeBase, has_b_frames: 2 }],
    packets: [
      { pts: 0, flags: 'K_' },
      { pts: keyframe, flags: 'K_' },
    ],
  });
  fs.writeFileSync(file, `#!/bin/sh\necho '${json}'\n`, { mode: 0o755 });
  return file;
}

describe('decodeFramesInSegments', () => {
  const clip = generatedClip();
  const small = 40 * 160 * 90 * 3;

  it.each([
    ['a generated clip with B-frames', clip, [60, 120]],
    ['hamilton-cuts.mp4', hamilton, [20, 82, 211]],
  ])('gives the same frames and cuts as one decode on %s', async (_, video, cuts) => {
    const whole = await collect(decodeFrames(video));
    expect(whole.seen).toHaveLength(video.frames);
    expect(whole.cuts).toEqual(cuts);
    // Two segments (the second found by a seek in time), then small ones that force four or five
    // (found by the keyframe probe), so seams fall inside shots and on a cut.
    for (const segmentBytes of [undefined, small]) {
      const split = await collect(decodeFramesInSegments({ ...video, minSegmentFrames: 20, segmentBytes }));
      expect(split.seen).toEqual(whole.seen);
      expect(split.cuts).toEqual(cuts);
    }
  });

  it('decodes short videos in one piece, and stops when the consumer stops', async () => {
    const whole = await collect(decodeFrames(hamilton));
    expect((await collect(decodeFramesInSegments(hamilton))).seen).toEqual(whole.seen);
    const frames = decodeFramesInSegments({ ...hamilton, minSegmentFrames: 20 });
    const first = await frames.next();
    expect(first.value).toMatchObject({ frame: 0, timestamp: 0.852019 });
    await frames.return(undefined);
  });

  it('falls back to one decode, without repeating or losing frames, when the probe fails or a seam does not match', async () => {
    const whole = await collect(decodeFrames(clip));
    const options = { ...clip, minSegmentFrames: 20, segmentBytes: small };
    expect((await collect(decodeFramesInSegments({ ...options, ffprobe: path.join(dir, 'missing') }))).seen).toEqual(whole.seen);
    // A "keyframe" one tick after frame 100's pts: no segment has a frame there, so the seam fails.
    const wrong = fakeProbe('1/12800', 100 * 512 + 1);
    expect((await collect(decodeFramesInSegments({ ...options, ffprobe: wrong }))).seen).toEqual(whole.seen);
  });
});
