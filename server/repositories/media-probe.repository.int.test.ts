// Integration tests for probeMedia/checkDecodable against the real ffprobe/ffmpeg on the PATH.
// Fed by small clips generated into a temp dir (good, audio-only, fake, empty, cut, 29.97 fps, 1×1);
// returns nothing (vitest assertions). Reasons must never reveal the temp dir.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaInfo, ProbeResult } from '../../workers/analysis/media-probe';
import { checkDecodable, probeMedia } from './media-probe.repository';

const run = promisify(execFile);
const TESTSRC = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'];
const SINE = ['-f', 'lavfi', '-i', 'sine=frequency=440'];
const H264_AAC = ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'];

let dir = '';
const clip = (name: string) => path.join(dir, name);

async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
}

/** Keeps the first half of a file, the way an interrupted upload or copy would. */
async function cutInHalf(from: string, to: string): Promise<void> {
  const data = await fs.readFile(clip(from));
  await fs.writeFile(clip(to), data.subarray(0, Math.floor(data.length / 2)));
}

function media(result: ProbeResult): MediaInfo {
  if (!result.ok) throw new Error(`expected a readable video, got: ${result.reason}`);
  return result.media;
}

function reason(result: { ok: true } | { ok: false; reason: string }): string {
  if (result.ok) throw new Error('expected a failure');
  expect(result.reason).not.toContain(dir);
  return result.reason;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-probe-'));
  await Promise.all([
    ffmpeg(...TESTSRC, ...SINE, '-t', '4', ...H264_AAC, clip('good.mp4')),
    ffmpeg(...SINE, '-t', '4', '-c:a', 'aac', clip('audio.m4a')),
    ffmpeg(...TESTSRC, ...SINE, '-t', '10', ...H264_AAC, clip('ten.mp4')).then(() =>
      ffmpeg('-i', clip('ten.mp4'), '-c', 'copy', '-movflags', '+faststart', clip('ten-faststart.mp4')),
    ),
    ffmpeg(
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30000/1001', '-t', '2'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', clip('ntsc.mp4')],
    ),
    // lavfi sources refuse 1×1, so scale down; yuv444p because 4:2:0 needs even sides.
    ffmpeg(...TESTSRC, '-t', '1', '-vf', 'scale=1:1', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', clip('tiny.mp4')),
    fs.writeFile(clip('text.mp4'), 'This is not a video, just some text with an .mp4 name.\n'),
    fs.writeFile(clip('empty.mp4'), ''),
  ]);
  await Promise.all([cutInHalf('ten-faststart.mp4', 'faststart-cut.mp4'), cutInHalf('ten.mp4', 'moov-at-end-cut.mp4')]);
}, 20_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('probeMedia', () => {
  it('describes a good h264/aac mp4', async () => {
    const info = media(await probeMedia(clip('good.mp4')));
    expect(info).toMatchObject({
      fps: 25,
      frames: 100,
      width: 320,
      height: 240,
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
    expect(info.duration).toBeCloseTo(4, 1);
    expect(info.formatName).toContain('mp4');
    expect(info.sizeBytes).toBe((await fs.stat(clip('good.mp4'))).size);
    expect(info.rotation).toBe(0);
  });

  it('rejects an audio-only m4a', async () => {
    expect(reason(await probeMedia(clip('audio.m4a')))).toBe('The file has no video stream (audio only).');
  });

  it('rejects a text file named .mp4 and an empty file without naming them', async () => {
    expect(reason(await probeMedia(clip('text.mp4')))).toMatch(/^The file is not a readable video \(.+\)\.$/);
    expect(reason(await probeMedia(clip('empty.mp4')))).toMatch(/^The file is not a readable video \(.+\)\.$/);
  });

  it('rejects a normal mp4 cut before its moov', async () => {
    expect(reason(await probeMedia(clip('moov-at-end-cut.mp4')))).toBe('The file is not a readable video (moov atom not found).');
  });

  it('reads 29.97 fps', async () => {
    const info = media(await probeMedia(clip('ntsc.mp4')));
    expect(info.fps).toBeCloseTo(29.97, 2);
    expect(info.frames).toBe(60);
  });

  it('rejects a 1×1 video', async () => {
    expect(reason(await probeMedia(clip('tiny.mp4')))).toMatch(/picture size \(1×1 px\) is not supported/);
  });

  it('stops when the caller aborts, and fails loudly when ffprobe is missing', async () => {
    const aborted = AbortSignal.abort(new Error('job cancelled'));
    await expect(probeMedia(clip('good.mp4'), aborted)).rejects.toThrow('job cancelled');
    await expect(probeMedia(clip('good.mp4'), undefined, { ffprobe: path.join(dir, 'no-ffprobe') })).rejects.toThrow(/ENOENT/);
  });
});

describe('checkDecodable', () => {
  it('accepts whole files', async () => {
    for (const name of ['good.mp4', 'ten-faststart.mp4', 'ntsc.mp4']) {
      const file = clip(name);
      expect(await checkDecodable(file, media(await probeMedia(file)))).toEqual({ ok: true });
    }
  });

  it('rejects a faststart mp4 cut in half, which still probes as 10 s', async () => {
    const file = clip('faststart-cut.mp4');
    const info = media(await probeMedia(file));
    expect(info.duration).toBeCloseTo(10, 1);
    expect(reason(await checkDecodable(file, info))).toBe('The video is truncated or damaged: its last part cannot be decoded.');
  });
});
