// The in-browser preview benchmark (part of `npm run bench`): the production app on loopback, headless
// Debian Chromium. Measures the preview's analysis of a 60 s 720p two-person conversation on WASM as a
// multiple of real time (goal ≥ 2×), and the ffmpeg.wasm export of 10 s of it along a crop path at two
// output sizes. Prints a table; exits non-zero when a run fails (not when a goal is missed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startTestServer } from '../e2e/support/test-server';

const ROOT = path.resolve(import.meta.dirname, '..');
const MEDIA = path.resolve(ROOT, '../shared/media');
// The same 60 s 720p clip as the reframe benchmark (scripts/bench-reframe.ts), shared through its cache.
const CACHE = path.join(os.tmpdir(), 'reframe-bench');
const CLIP = path.join(CACHE, '720p-60s.mp4');
const EXPORT_SECONDS = 10;
const ANALYSIS_GOAL = 2;

function makeClip(): void {
  if (fs.existsSync(CLIP)) return;
  fs.mkdirSync(CACHE, { recursive: true });
  console.error('making 720p-60s.mp4 …');
  const source = path.join(MEDIA, 'conversation/two-people-still-listener.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-stream_loop', '-1', '-i', source, '-t', '60', '-vf', 'scale=1280:720'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', `${CLIP}.tmp.mp4`],
  ]);
  fs.renameSync(`${CLIP}.tmp.mp4`, CLIP);
}

/** A 9:16 crop path over the whole clip that pans once a second between the two sides. */
function panningPath(): string {
  const window = { y: 0, w: 406, h: 720, subject: null };
  const keyframes = Array.from({ length: 61 }, (_, t) => ({ t, x: t % 2 ? 800 : 100, ...window }));
  return JSON.stringify({
    version: 1,
    source: { width: 1280, height: 720 },
    output: { width: 1080, height: 1920 },
    aspect_ratio: '9:16',
    start: 0,
    end: 60,
    scenes: [{ start: 0, end: 60, layout: 'single', keyframes }],
  });
}

type PreviewState = { status: string; seconds: number | null; source: { duration: number } | null; result: unknown; error: string | null };

async function analysis(page: Page, url: string): Promise<{ seconds: number; duration: number; firstPartial: number }> {
  await page.goto(`${url}/preview?backend=wasm`);
  // Only what the loop needs: the whole state holds the crop path and tracks, and serialising them
  // every poll would cost the page time the benchmark is measuring.
  const state = () =>
    page.evaluate((): PreviewState | undefined => {
      const s = window.__reframePreview;
      return s && { status: s.status, seconds: s.seconds, source: s.source, result: s.result ? true : null, error: s.error };
    });
  const started = performance.now();
  await page.getByLabel('Video file').setInputFiles(CLIP);
  let firstPartial = NaN;
  for (;;) {
    const s = await state();
    if (s?.result && Number.isNaN(firstPartial)) firstPartial = (performance.now() - started) / 1000;
    if (s?.status === 'done') return { seconds: s.seconds!, duration: s.source!.duration, firstPartial };
    if (s?.status === 'error' || s?.status === 'cancelled') throw new Error(`analysis ${s.status}: ${s.error}`);
    if (performance.now() - started > 900_000) throw new Error('analysis took over 15 min');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function exportTime(page: Page, url: string, pathFile: string, size: string): Promise<number> {
  await page.goto(`${url}/preview/export`);
  await page.getByTestId('path-export-video').setInputFiles(CLIP);
  await page.getByTestId('path-export-path').setInputFiles(pathFile);
  await page.getByTestId('export-start').fill('20');
  await page.getByTestId('export-end').fill(String(20 + EXPORT_SECONDS));
  await page.getByTestId('export-size').selectOption({ label: size });
  const started = performance.now();
  await page.getByTestId('export-start-button').click();
  await page.getByTestId('export-download').or(page.getByTestId('export-status')).waitFor({ timeout: 900_000 });
  const failed = await page.getByTestId('export-status').allTextContents();
  if (failed.length) throw new Error(failed.join(' '));
  return (performance.now() - started) / 1000;
}

makeClip();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-bench-preview-'));
const pathFile = path.join(scratch, 'path.json');
fs.writeFileSync(pathFile, panningPath());
const server = await startTestServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const rows: string[][] = [];
let speed = NaN;
try {
  const page = await browser.newPage();
  for (const size of ['1080×1920', '720×1280']) {
    const seconds = await exportTime(page, server.url, pathFile, size);
    rows.push([
      `export ${EXPORT_SECONDS} s → ${size} (ffmpeg.wasm, x264 ultrafast)`,
      seconds.toFixed(1),
      (EXPORT_SECONDS / seconds).toFixed(2),
    ]);
  }
  const a = await analysis(page, server.url);
  speed = a.duration / a.seconds;
  rows.push([`analysis, ${a.duration.toFixed(0)} s 720p conversation (WASM)`, a.seconds.toFixed(1), speed.toFixed(2)]);
  rows.push(['  first partial crop path shown after', a.firstPartial.toFixed(1), '']);
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}

const header = ['In-browser preview (headless Chromium)', 'seconds', '× real time'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\nPreview benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log(
  `\nGoal: preview analysis ≥ ${ANALYSIS_GOAL}× real time with WASM — ${speed >= ANALYSIS_GOAL ? 'met' : 'NOT met'} (${speed.toFixed(2)}×)`,
);
