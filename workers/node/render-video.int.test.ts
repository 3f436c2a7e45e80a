// The renderer on real ffmpeg: a generated 1280×720 clip whose luma encodes the source column (so an
// output row tells where the crop sat), with white flashes and beeps at the same instants (A/V sync)
// and a content cut; the real talking-head and late-starting clips; split panes; abort and failure.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathScene, ReframePath, SingleKeyframe } from '../analysis/reframe-path';
import { RenderError, renderVideo } from './render-video';

const MEDIA = path.resolve(import.meta.dirname, '../../../shared/media');
const FPS = 25;
// Source content: luma = column·255/1279 until frame 80 (3.2 s), mirrored after; white frames 25 and 100
// (1.0 s, 4.0 s) with 100 ms 1 kHz beeps starting at the same instants.
const CONTENT_CUT = 3.2;
const FLASHES = [1.0, 4.0];

let dir: string;
let src: string;

const kf = (t: number, x: number, w = 405, h = 720): SingleKeyframe => ({ t, x, y: 0, w, h, subject: null });
const single = (start: number, end: number, ...keyframes: SingleKeyframe[]): PathScene => ({ start, end, layout: 'single', keyframes });

function reframe(scenes: PathScene[], start: number, end: number, o: Partial<ReframePath> = {}): ReframePath {
  return {
    version: 1,
    source: { width: 1280, height: 720 },
    output: { width: 608, height: 1080 },
    aspect_ratio: '9:16',
    start,
    end,
    scenes,
    ...o,
  };
}

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-v', 'error', ...args], { maxBuffer: 256 << 20 });

interface Stream {
  codec_type: string;
  width?: number;
  height?: number;
  start_time: string;
  duration: string;
  nb_frames: string;
}

function probe(file: string): { streams: Stream[]; video: Stream; audio?: Stream } {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,width,height,start_time,duration,nb_frames',
    '-of',
    'json',
    file,
  ]);
  const streams = (JSON.parse(out.toString()) as { streams: Stream[] }).streams;
  return { streams, video: streams.find((s) => s.codec_type === 'video')!, audio: streams.find((s) => s.codec_type === 'audio') };
}

/** A full decode's error output: empty for a clean file. */
const decodeErrors = (file: string) => spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-']).stderr.toString();

/** Luma of output rows `ys` (even) on every frame, decoded without any colour conversion. */
function lumaRows(file: string, width: number, ys: number[]): Uint8Array[][] {
  const graph =
    `[0:v]split=${ys.length}${ys.map((_, i) => `[i${i}]`).join('')};` +
    ys.map((y, i) => `[i${i}]crop=iw:2:0:${y}[r${i}]`).join(';') +
    (ys.length > 1 ? `;${ys.map((_, i) => `[r${i}]`).join('')}vstack=inputs=${ys.length}` : ';[r0]null');
  const raw = ffmpeg(['-i', file, '-filter_complex', graph, '-pix_fmt', 'yuv420p', '-f', 'rawvideo', 'pipe:1']);
  const frameBytes = width * 2 * ys.length * 1.5;
  const frames: Uint8Array[][] = [];
  for (let at = 0; at + frameBytes <= raw.length; at += frameBytes) {
    frames.push(ys.map((_, i) => raw.subarray(at + i * 2 * width, at + i * 2 * width + width)));
  }
  return frames;
}

const mean = (row: Uint8Array) => row.reduce((s, v) => s + v, 0) / row.length;
const isFlash = (row: Uint8Array) => Math.min(...row) > 200;
/** Whether a row shows the mirrored content (luma falling left to right). */
const mirrored = (row: Uint8Array) => mean(row.subarray(row.length - 40)) < mean(row.subarray(0, 40));

/** The source column of a row's left edge, from its mean luma: a crop `cropW` wide, scaled to the row. */
function cropX(row: Uint8Array, cropW: number): number {
  // geq truncates: a source column's luma is floor(x·255/1279), half a level low on average.
  const centre = ((mean(row) + 0.5) * 1279) / 255;
  return (mirrored(row) ? 1279 - centre : centre) - cropW / 2 + 0.5;
}

/** Onsets (seconds) of the beeps in a file's audio. */
function beepOnsets(file: string): number[] {
  const raw = ffmpeg(['-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 'f32le', 'pipe:1']);
  const pcm = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
  const onsets: number[] = [];
  let lastLoud = -Infinity;
  for (let i = 0; i < pcm.length; i++) {
    if (Math.abs(pcm[i]!) < 0.3) continue;
    if (i - lastLoud > 48_000 * 0.5) onsets.push(i / 48_000);
    lastLoud = i;
  }
  return onsets;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-int-'));
  src = path.join(dir, 'columns.mp4');
  // geq runs on one frame per content and `loop` repeats it (geq on every frame takes ~10 s).
  const still = (lum: string, frames: number, label: string) =>
    `nullsrc=s=1280x720:r=${FPS}:d=0.04,format=yuv420p,geq=lum='${lum}':cb=128:cr=128,loop=loop=-1:size=1,trim=end_frame=${frames},setpts=N/${FPS}/TB[${label}]`;
  const flashFrames = FLASHES.map((t) => `eq(n\\,${t * FPS})`).join('+');
  const beeps = FLASHES.map((t) => `between(t\\,${t}\\,${t + 0.1})`).join('+');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `${still('X*255/(W-1)', CONTENT_CUT * FPS, 'a')};${still('(W-1-X)*255/(W-1)', 150 - CONTENT_CUT * FPS, 'b')};` +
      `[a][b]concat=n=2,drawbox=c=white:t=fill:enable='${flashFrames}'`,
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='if(${beeps}\\,0.8*sin(2*PI*1000*t)\\,0)':s=48000:d=6`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '0',
    '-r',
    String(FPS),
    '-c:a',
    'aac',
    src,
  ]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('renderVideo', () => {
  it('puts the crop where the path says on every frame (static, pan, hard cut, scene cut) and keeps A/V in sync', async () => {
    // A sub-span starting on a frame (0.52 s = frame 13), so output frame k shows source frame k + 13.
    const start = 0.52;
    const p = reframe(
      [
        single(start, CONTENT_CUT, kf(start, 100), kf(1.5, 100), kf(2.5, 700), kf(2.8, 700), kf(2.8, 300)),
        single(CONTENT_CUT, 5.48, kf(CONTENT_CUT, 875)),
      ],
      start,
      5.48,
    );
    const expected = (t: number) =>
      t < 1.5 ? 100 : t < 2.5 ? 100 + (t - 1.5) * 600 : t < 2.8 - 1e-9 ? 700 : t < CONTENT_CUT - 1e-9 ? 300 : 875;
    const out = path.join(dir, 'main.mp4');
    const fractions: number[] = [];
    await renderVideo({ input: src, output: out, path: p, hasAudio: true, fps: FPS, crf: 18, progress: (f) => fractions.push(f) });

    expect(decodeErrors(out)).toBe('');
    const { video, audio } = probe(out);
    expect([video.width, video.height]).toEqual([608, 1080]);
    expect(Math.abs(Number(video.duration) - 4.96)).toBeLessThanOrEqual(1 / FPS);
    expect(Math.abs(Number(audio!.duration) - 4.96)).toBeLessThanOrEqual(1 / FPS);
    expect(Number(video.start_time)).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f > fractions[i - 1]!))).toBe(true);

    const rows = lumaRows(out, 608, [540]).map((r) => r[0]!);
    expect(rows).toHaveLength(124);
    const flashes = rows.flatMap((r, k) => (isFlash(r) ? [k] : []));
    expect(flashes).toEqual(FLASHES.map((t) => Math.round((t - start) * FPS)));
    const errors = rows.flatMap((row, k) => {
      if (isFlash(row)) return [];
      const t = start + k / FPS;
      const contentOk = mirrored(row) === t >= CONTENT_CUT - 1e-9;
      return [{ k, error: Math.abs(cropX(row, 405) - expected(t)), contentOk }];
    });
    expect(errors.filter((e) => !e.contentOk)).toEqual([]);
    expect(Math.max(...errors.map((e) => e.error))).toBeLessThan(4);
    // The frames either side of the hard cut at 2.8 s (frame 57), the pan midpoint and the scene cut.
    const near = (k: number, x: number) => expect(Math.abs(cropX(rows[k]!, 405) - x), `frame ${k}`).toBeLessThan(4);
    near(56, 700);
    near(57, 300);
    near(Math.round((2 - start) * FPS), 400);
    near(66, 300);
    near(67, 875);

    const beeps = beepOnsets(out);
    expect(beeps).toHaveLength(2);
    beeps.forEach((b, i) => expect(Math.abs(b - flashes[i]! / FPS)).toBeLessThan(0.04));
  });

  it('reads an MPEG-TS source through its time offset', async () => {
    const ts = path.join(dir, 'columns.ts');
    ffmpeg(['-i', src, '-c', 'copy', '-f', 'mpegts', ts]);
    const offset = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', ts]).toString());
    expect(offset).toBeGreaterThan(1);
    const out = path.join(dir, 'ts.mp4');
    const p = reframe([single(2, 3, kf(2, 200), kf(2.6, 200), kf(2.6, 600))], 2, 3, { output: { width: 360, height: 640 } });
    await renderVideo({ input: ts, output: out, path: p, hasAudio: true, fps: FPS, timeOffset: offset });
    expect(decodeErrors(out)).toBe('');
    const rows = lumaRows(out, 360, [320]).map((r) => r[0]!);
    expect(rows).toHaveLength(25);
    expect(rows.map((r) => Math.round(cropX(r, 405) / 100) * 100)).toEqual([...Array(15).fill(200), ...Array(10).fill(600)]);
  });

  it('stacks split panes under a single branch only on the split scene, and writes no audio when told', async () => {
    const out = path.join(dir, 'split.mp4');
    const pane = (x: number) => ({ x, y: 0, w: 640, h: 569, subject: null });
    const p = reframe(
      [
        single(1.2, 2, kf(1.2, 200)),
        { start: 2, end: 3, layout: 'split', keyframes: [{ t: 2, panes: [pane(0), pane(640)] }] },
        single(3, 3.2, kf(3, 800)),
      ],
      1.2,
      3.2,
    );
    await renderVideo({ input: src, output: out, path: p, hasAudio: false, fps: FPS });
    expect(decodeErrors(out)).toBe('');
    const { streams, video } = probe(out);
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect([video.width, video.height]).toEqual([608, 1080]);
    const frames = lumaRows(out, 608, [270, 810]);
    expect(frames).toHaveLength(50);
    const xs = frames.map(([top, bottom], k) => [
      k,
      Math.round(cropX(top!, k >= 20 && k < 45 ? 640 : 405)),
      Math.round(cropX(bottom!, k >= 20 && k < 45 ? 640 : 405)),
    ]);
    for (const [k, top, bottom] of xs) {
      const [eTop, eBottom] = k! < 20 ? [200, 200] : k! < 45 ? [0, 640] : [800, 800];
      expect(Math.abs(top! - eTop!), `frame ${k} top`).toBeLessThan(4);
      expect(Math.abs(bottom! - eBottom!), `frame ${k} bottom`).toBeLessThan(4);
    }
  });

  it.each([
    // A talking head; a variable-frame-rate one (avg 22 fps, 30 tbr); a clip whose video starts at 0.852 s.
    { file: 'talking/talking-head-2.mp4', width: 844, height: 844, fps: 25, end: 5 },
    { file: 'talking/talking-head-1.mp4', width: 700, height: 700, fps: 30, end: 6.1 },
    { file: 'scenes/hamilton-cuts.mp4', width: 640, height: 360, fps: 2997 / 100, end: 10 },
  ])('renders $file to 9:16 with a static path, clean and with its duration', async (c) => {
    const out = path.join(dir, `real-${path.basename(c.file)}`);
    const w = Math.round((c.height * 9) / 16);
    const p = reframe([single(0, c.end, kf(0, (c.width - w) / 2, w, c.height))], 0, c.end, {
      source: { width: c.width, height: c.height },
    });
    await renderVideo({ input: path.join(MEDIA, c.file), output: out, path: p, hasAudio: true, fps: c.fps, preset: 'ultrafast' });
    expect(decodeErrors(out)).toBe('');
    const { video, audio } = probe(out);
    expect([video.width, video.height]).toEqual([608, 1080]);
    expect(Number(video.start_time)).toBe(0);
    expect(Math.abs(Number(video.duration) - c.end)).toBeLessThanOrEqual(1 / c.fps);
    expect(Math.abs(Number(audio!.duration) - c.end)).toBeLessThanOrEqual(1 / c.fps);
  });

  it('kills ffmpeg on abort and leaves no file behind', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'abort-'));
    const out = path.join(folder, 'out.mp4');
    const controller = new AbortController();
    const p = reframe([single(0, 6, kf(0, 100), kf(6, 875))], 0, 6, { output: { width: 1080, height: 1920 } });
    const render = renderVideo({
      input: src,
      output: out,
      path: p,
      hasAudio: true,
      fps: FPS,
      preset: 'veryslow',
      signal: controller.signal,
      progress: () => controller.abort(new Error('stop')),
    });
    await expect(render).rejects.toThrow('stop');
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(() => execFileSync('pgrep', ['-f', folder])).toThrow();
  });

  it('throws a RenderError with ffmpeg’s last words when ffmpeg fails', async () => {
    const out = path.join(dir, 'never.mp4');
    const p = reframe([single(0, 1, kf(0, 0))], 0, 1);
    const render = renderVideo({ input: path.join(dir, 'missing.mp4'), output: out, path: p, hasAudio: true, fps: FPS });
    await expect(render).rejects.toBeInstanceOf(RenderError);
    await expect(render).rejects.toThrow(/No such file/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
