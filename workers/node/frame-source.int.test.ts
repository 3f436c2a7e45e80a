// The ffmpeg frame source on real files: exact frame numbers and presentation times (including a
// video that starts late and a variable-frame-rate file), sampling, and early stop.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from './frame-source';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');
const hamilton = path.join(MEDIA, 'scenes/hamilton-cuts.mp4');

async function collect(it: AsyncGenerator<{ frame: number; timestamp: number; data: Uint8Array }>, limit = Infinity) {
  const out: { frame: number; timestamp: number; mean: number }[] = [];
  for await (const f of it) {
    out.push({ frame: f.frame, timestamp: f.timestamp, mean: f.data.reduce((s, v) => s + v, 0) / f.data.length });
    if (out.length >= limit) break;
  }
  return out;
}

describe('decodeFrames', () => {
  it('yields every frame of a file whose video starts late, with its own timestamps', async () => {
    const frames = await collect(decodeFrames({ input: hamilton, width: 160, height: 90 }));
    expect(frames).toHaveLength(275);
    expect(frames[0]).toMatchObject({ frame: 0, timestamp: 0.852019 });
    expect(frames[20]!.frame).toBe(20);
    expect(frames[20]!.timestamp).toBeCloseTo(0.852019 + 20 * (100 / 2997), 4);
    expect(frames.every((f, i) => f.frame === i)).toBe(true);
  });

  it('samples 10 frames a second from 29.97 fps with their source frame numbers', async () => {
    const frames = await collect(decodeFrames({ input: hamilton, width: 160, height: 90, sampleFps: 10 }));
    expect(frames.length).toBeGreaterThanOrEqual(91);
    expect(frames.length).toBeLessThanOrEqual(93);
    for (const f of frames) expect(f.timestamp).toBeCloseTo(0.852019 + f.frame * (100 / 2997), 4);
    const gaps = frames.slice(1).map((f, i) => f.frame - frames[i]!.frame);
    for (const g of gaps) expect([2, 3, 4]).toContain(g);
  });

  it('keeps the real times of a variable-frame-rate file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vfr-'));
    const file = path.join(dir, 'vfr.mkv');
    // 10 frames at 10 fps, then 10 frames at 2 fps: timestamps 0…0.9, then 1.0, 1.5, … 5.5.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x64:rate=10:duration=1',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x64:rate=2:duration=5',
      '-filter_complex',
      '[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]concat=n=2:v=1[v]',
      '-map',
      '[v]',
      '-fps_mode',
      'vfr',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file,
    ]);
    const frames = await collect(decodeFrames({ input: file, width: 32, height: 32 }));
    expect(frames.map((f) => f.frame)).toEqual([...Array(20).keys()]);
    const probed = execFileSync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'frame=pts_time',
      '-of',
      'csv=p=0',
      file,
    ])
      .toString()
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => parseFloat(l));
    expect(frames.map((f) => f.timestamp)).toEqual(probed);
    expect(frames[9]!.timestamp).toBeCloseTo(0.9, 2);
    expect(frames[10]!.timestamp).toBeCloseTo(1.0, 2);
    expect(frames[11]!.timestamp).toBeCloseTo(1.5, 2);
  });

  it('stops ffmpeg when the consumer stops early, and fails clearly on a broken file', async () => {
    const frames = await collect(decodeFrames({ input: hamilton, width: 160, height: 90 }), 5);
    expect(frames).toHaveLength(5);
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-')), 'bad.mp4');
    fs.writeFileSync(bad, 'not a video');
    await expect(collect(decodeFrames({ input: bad, width: 32, height: 32 }))).rejects.toThrow(/ffmpeg exited with 1/);
  });
});
