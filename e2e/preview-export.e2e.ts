// The in-browser export (ffmpeg.wasm, self-hosted) in headless Chromium against the real app: a 4 s
// clip of the conversation along a hand-made crop path on /preview/export, downloaded and checked with
// ffprobe (size, frames, audio) and against a reference crop made by Debian's ffmpeg, with no request
// carrying the file; cancel terminates ffmpeg's worker; an MPEG-4 part 2 AVI analysed through the
// ffmpeg.wasm frame source; and on /preview, the analysed path exported and checked the same way.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type Request } from '@playwright/test';
import { startTestServer, type TestServer } from './support/test-server';

const MEDIA = '/work/shared/media/conversation/two-people-still-listener.mp4';
const FPS = 25;

let server: TestServer;
let scratch: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-export-e2e-'));
});
test.afterAll(async () => {
  await server?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** A 9:16 path over the whole 1280×720 clip: holds on the left until 6 s, pans right by 12 s. */
function handMadePath(): string {
  const window = { y: 0, w: 406, h: 720, subject: null };
  return JSON.stringify({
    version: 1,
    source: { width: 1280, height: 720 },
    output: { width: 1080, height: 1920 },
    aspect_ratio: '9:16',
    start: 0,
    end: 22,
    scenes: [
      {
        start: 0,
        end: 22,
        layout: 'single',
        keyframes: [
          { t: 0, x: 100, ...window },
          { t: 6, x: 100, ...window },
          { t: 12, x: 800, ...window },
        ],
      },
    ],
  });
}

function ffprobe(file: string): {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; nb_frames?: string }[];
} {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file]).toString());
}

/** PSNR (dB) between the first frames of two videos, as Debian's ffmpeg computes it. */
function firstFramePsnr(a: string, b: string): number {
  const run = spawnSync('ffmpeg', ['-nostats', '-i', a, '-i', b, '-filter_complex', '[0:v][1:v]psnr', '-frames:v', '1', '-f', 'null', '-']);
  const m = /average:(inf|[\d.]+)/.exec(run.stderr.toString());
  if (!m) throw new Error(`no PSNR in ffmpeg's output: ${run.stderr.toString().slice(-500)}`);
  return m[1] === 'inf' ? Infinity : Number(m[1]);
}

async function openExport(page: Page): Promise<Request[]> {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  await page.goto(`${server.url}/preview/export`);
  const pathFile = path.join(scratch, 'path.json');
  fs.writeFileSync(pathFile, handMadePath());
  await page.getByTestId('path-export-video').setInputFiles(MEDIA);
  await page.getByTestId('path-export-path').setInputFiles(pathFile);
  await expect(page.getByTestId('export-panel')).toBeVisible();
  return requests;
}

test('exports 4 s along the path as an MP4 of the requested size, with audio, matching a reference crop', async ({ page }) => {
  test.setTimeout(180_000);
  const requests = await openExport(page);
  await page.getByTestId('export-start').fill('2');
  await page.getByTestId('export-end').fill('6');
  await page.getByTestId('export-size').selectOption({ label: '540×960' });
  await page.getByTestId('export-start-button').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  const link = page.getByTestId('export-download');
  // Either outcome ends the wait; a failure then shows its message in the assertion.
  await expect(link.or(page.getByTestId('export-status'))).toBeVisible({ timeout: 150_000 });
  expect(await page.getByTestId('export-status').allTextContents()).toEqual([]);
  await expect(link).toHaveAttribute('download', 'two-people-still-listener_reframe_2-6s.mp4');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const clip = path.join(scratch, 'clip.mp4');
  await download.saveAs(clip);

  const streams = ffprobe(clip).streams;
  const video = streams.find((s) => s.codec_type === 'video')!;
  expect(video).toMatchObject({ codec_name: 'h264', width: 540, height: 960 });
  // 4 s at the source's 25 fps: exactly 100 frames (the duration within a frame).
  expect(Math.abs(Number(video.nb_frames) - 4 * FPS)).toBeLessThanOrEqual(1);
  expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');

  // The path holds x = 100 from 0 to 6 s: frame 0 of the clip is the source at 2 s cropped there.
  const reference = path.join(scratch, 'reference.mp4');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-ss',
    '2',
    '-i',
    MEDIA,
    '-vf',
    'crop=406:720:100:0,scale=540:960,setsar=1',
    '-frames:v',
    '1',
    '-c:v',
    'libx264',
    '-crf',
    '10',
    reference,
  ]);
  expect(firstFramePsnr(clip, reference)).toBeGreaterThan(30);

  // Everything fetched is the app's own (page, scripts, ffmpeg.wasm); nothing was sent with a body.
  const origin = new URL(server.url).origin;
  expect(
    requests.filter((r) => new URL(r.url()).origin !== origin && !r.url().startsWith('blob:') && !r.url().startsWith('data:')),
  ).toEqual([]);
  expect(requests.filter((r) => r.postDataBuffer() !== null).map((r) => r.url())).toEqual([]);
  expect(requests.some((r) => r.url().endsWith('/vendor/ffmpeg/ffmpeg-core.wasm'))).toBe(true);
});

test('cancel stops a running export and terminates ffmpeg’s worker', async ({ page }) => {
  test.setTimeout(120_000);
  await openExport(page);
  await page.getByTestId('export-start').fill('0');
  await page.getByTestId('export-end').fill('20');
  const workerClosed = new Promise<void>((resolve) => page.on('worker', (w) => w.on('close', () => resolve())));
  await page.getByTestId('export-start-button').click();
  const bar = page.getByTestId('export-progress');
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 90_000 }).toBeGreaterThan(0);
  await page.getByTestId('export-cancel').click();
  await expect(page.getByTestId('export-status')).toHaveText('Export cancelled.');
  await workerClosed;
  await expect(page.getByTestId('export-download')).toHaveCount(0);
  await expect(page.getByTestId('export-start-button')).toBeEnabled();
});

test('an MPEG-4 part 2 AVI, which WebCodecs cannot open, is analysed through the ffmpeg.wasm frame source', async ({ page }) => {
  test.setTimeout(240_000);
  const avi = path.join(scratch, 'conversation.avi');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-t', '4', '-i', MEDIA, '-vf', 'scale=640:360', '-c:v', 'mpeg4', '-q:v', '3', '-an', avi]);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}/preview?backend=wasm`);
  await page.getByLabel('Video file').setInputFiles(avi);
  await expect(page.getByTestId('analysis-status')).toContainText('Analysed in', { timeout: 200_000 });
  const preview = (await page.evaluate(() => window.__reframePreview)) as {
    source: { width: number; height: number; duration: number; fps: number };
    result: { faces: { tracks: unknown[] }; path: { end: number } };
  };
  expect(preview.source).toMatchObject({ width: 640, height: 360, fps: 25 });
  expect(preview.source.duration).toBeCloseTo(4, 1);
  expect(preview.result.faces.tracks.length).toBeGreaterThanOrEqual(2);
  expect(preview.result.path.end).toBeCloseTo(4, 1);
  expect(requests.some((u) => u.endsWith('/vendor/ffmpeg/ffmpeg-core.wasm'))).toBe(true);
});

type Window = { x: number; y: number; w: number; h: number };
type AnalysedPath = { end: number; scenes: { start: number; end: number; layout: string; keyframes: (Window & { t: number })[] }[] };

/** The single-layout window of a path at `t`: the keyframes around it, interpolated (reframe-path.ts's rule). */
function windowAt(p: AnalysedPath, t: number): Window {
  const scene = p.scenes.find((s) => s.start <= t && t < s.end) ?? p.scenes.at(-1)!;
  expect(scene.layout).toBe('single');
  const ks = scene.keyframes;
  let i = 0;
  while (i + 1 < ks.length && ks[i + 1]!.t <= t) i++;
  const a = ks[i]!;
  const b = ks[i + 1];
  if (!b || t <= a.t) return a;
  const f = (t - a.t) / (b.t - a.t);
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w, h: a.h };
}

test('on /preview, the analysed path exports as a playable MP4 of the chosen size that frames what the path says', async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto(`${server.url}/preview?backend=wasm`);
  await page.getByLabel('Video file').setInputFiles(MEDIA);
  await expect(page.getByTestId('analysis-status')).toContainText('Analysed in', { timeout: 300_000 });
  const { result } = (await page.evaluate(() => window.__reframePreview)) as { result: { path: AnalysedPath } };

  await page.getByTestId('export-start').fill('8');
  await page.getByTestId('export-end').fill('11');
  await page.getByTestId('export-size').selectOption({ label: '360×640' });
  await page.getByTestId('export-start-button').click();
  const link = page.getByTestId('export-download');
  await expect(link.or(page.getByTestId('export-status'))).toBeVisible({ timeout: 150_000 });
  expect(await page.getByTestId('export-status').allTextContents()).toEqual([]);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const clip = path.join(scratch, 'preview-clip.mp4');
  await download.saveAs(clip);

  const streams = ffprobe(clip).streams;
  expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 360, height: 640, nb_frames: '75' });
  expect(streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
  // Frame 0 shows the source at 8 s through the path's window there (rounded and clamped as the renderer does).
  const w = windowAt(result.path, 8);
  const [cw, ch] = [Math.round(w.w), Math.round(w.h)];
  const x = Math.min(1280 - cw, Math.max(0, Math.round(w.x)));
  const y = Math.min(720 - ch, Math.max(0, Math.round(w.y)));
  const reference = path.join(scratch, 'preview-reference.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-ss', '8', '-i', MEDIA, '-vf', `crop=${cw}:${ch}:${x}:${y},scale=360:640,setsar=1`],
    ...['-frames:v', '1', '-c:v', 'libx264', '-crf', '10', reference],
  ]);
  expect(firstFramePsnr(clip, reference)).toBeGreaterThan(28);
});
