// The in-browser preview in headless Chromium against the real server: a two-person conversation is
// analysed on the WASM backend (faces boxed, the framed subject highlighted, the crop following whoever
// speaks per the clip's truth file) while every request the page makes is recorded and none carries the
// file; the same crop path as the server's for the file; signed in, only "Render on server" uploads it;
// the analysis in one worker gives the path it gives in two; with WebGPU enabled, the face detector's
// WebGPU detections match its WASM ones.
// Logs the analysis speed as a multiple of real time.
import fs from 'node:fs';
import { chromium, expect, test, type Page, type Request } from '@playwright/test';
import { startTestServer, waitForStep, type TestServer } from './support/test-server';

const CLIP = '/work/shared/media/conversation/two-people-still-listener.mp4';
const SHOTS = 'test-results/screenshots';

type Keyframe = { t: number; x: number; y: number; w: number; h: number; subject: number | null };
type Path = {
  source: { width: number; height: number };
  end: number;
  scenes: { start: number; end: number; layout: string; keyframes: Keyframe[] }[];
};
type Faces = { tracks: { face_id: number; detections: { bbox: number[] }[] }[] };
type Preview = { status: string; seconds: number | null; source: { duration: number } | null; result: { path: Path; faces: Faces } | null };

let server: TestServer;
/** The browser's crop path of the clip, for the agreement with the server's. */
let browserPath: Path | null = null;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** The clip's turns: who speaks when, and on which side of the frame. */
function turns(): { side: 'left' | 'right'; start: number; end: number }[] {
  const [, ...rows] = fs.readFileSync(`${CLIP}.truth.csv`, 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [, , side, start, end] = row.split(',');
    return { side: side as 'left' | 'right', start: Number(start), end: Number(end) };
  });
}

/** The crop window's subject at t (linear keyframes: the last keyframe at or before t holds the subject). */
function subjectAt(path: Path, t: number): number | null {
  const scene = path.scenes.find((s) => t >= s.start && t < s.end) ?? path.scenes.at(-1)!;
  let k = scene.keyframes[0]!;
  for (const f of scene.keyframes) if (f.t <= t) k = f;
  return k.subject;
}

/** The crop window at t: linear between the keyframes around t within its scene (reframe-path.ts's rule). */
function windowAt(path: Path, t: number): Keyframe {
  const scene = path.scenes.find((s) => t >= s.start && t < s.end) ?? path.scenes.at(-1)!;
  const k = scene.keyframes;
  let i = 0;
  while (i + 1 < k.length && k[i + 1]!.t <= t) i++;
  const a = k[i]!;
  const b = k[i + 1];
  if (!b || t <= a.t) return a;
  const f = (t - a.t) / (b.t - a.t);
  return { ...a, x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
}

function iou(a: Keyframe, b: Keyframe): number {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
}

/** Every request of the page, with the bytes its body had (postData, or once it finished the larger of
 *  Chromium's count and the Content-Length sent: postData does not show a File sent in a form);
 *  `settled()` waits for those counts. */
function recordRequests(page: Page) {
  const requests: { method: string; url: string; bytes: number }[] = [];
  const pending: Promise<void>[] = [];
  const entries = new Map<Request, { method: string; url: string; bytes: number }>();
  page.on('console', (m) => m.type() === 'error' && console.log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on('request', (r) => {
    const entry = { method: r.method(), url: r.url(), bytes: r.postDataBuffer()?.length ?? 0 };
    entries.set(r, entry);
    requests.push(entry);
  });
  page.on('requestfinished', (r) =>
    pending.push(
      Promise.all([r.sizes(), r.allHeaders()]).then(
        ([sizes, headers]) => {
          const entry = entries.get(r);
          if (entry) entry.bytes = Math.max(entry.bytes, sizes.requestBodySize, Number(headers['content-length'] ?? 0));
        },
        // Only once the page has closed, after the test has looked: nothing left to count.
        () => undefined,
      ),
    ),
  );
  return Object.assign(requests, { settled: () => Promise.all(pending) });
}

test('analyses a conversation in the browser on WASM: boxes, a crop that follows the speaker, no byte uploaded', async ({ page }) => {
  test.setTimeout(480_000);
  const requests = recordRequests(page);
  const size = fs.statSync(CLIP).size;
  await page.goto(`${server.url}/preview?backend=wasm`);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await page.getByLabel('Video file').setInputFiles(CLIP);

  await expect(page.getByTestId('backend')).toContainText('WASM · SIMD', { timeout: 60_000 });
  // On two cores a model helper worker runs the detectors beside the analysis worker.
  await expect(page.getByTestId('backend')).toContainText('2 workers');
  // The analysed part plays before the analysis ends.
  await expect(page.getByTestId('analysis-status')).toContainText(/Analysing… [1-9]\d?%/, { timeout: 60_000 });
  await expect(page.getByTestId('face-box').first()).toBeAttached({ timeout: 30_000 });
  await expect(page.getByTestId('analysis-status')).toContainText('Analysed in', { timeout: 400_000 });
  const preview = (await page.evaluate(() => window.__reframePreview)) as Preview;
  const speed = preview.source!.duration / preview.seconds!;
  console.log(
    `preview analysis: ${preview.source!.duration.toFixed(1)} s of video in ${preview.seconds!.toFixed(1)} s = ${speed.toFixed(2)}× real time`,
  );

  await test.step('two faces boxed, the framed one highlighted', async () => {
    const video = page.getByTestId('source-video');
    await video.evaluate(async (v: HTMLVideoElement) => {
      v.currentTime = 3;
      await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    });
    await expect(page.getByTestId('face-box')).toHaveCount(2);
    await expect(page.locator('[data-testid="face-box"][data-subject="true"]')).toHaveCount(1);
    await expect(page.getByTestId('crop-canvas')).toHaveAttribute('data-crop-x', /\d+/);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/preview-wasm.png`, fullPage: true });
  });

  browserPath = preview.result!.path;
  await test.step('the crop frames whoever speaks (after the planner’s one-second switch delay)', async () => {
    const { path, faces } = preview.result!;
    const side = new Map(
      faces.tracks.map((t) => {
        const cx = t.detections.reduce((s, d) => s + d.bbox[0]! + d.bbox[2]! / 2, 0) / t.detections.length;
        return [t.face_id, cx < path.source.width / 2 ? 'left' : 'right'];
      }),
    );
    let checked = 0;
    let right = 0;
    for (const turn of turns()) {
      for (let t = turn.start + 1.5; t < turn.end; t += 0.25) {
        checked++;
        const subject = subjectAt(path, t);
        if (subject !== null && side.get(subject) === turn.side) right++;
      }
    }
    console.log(`crop on the speaker: ${right}/${checked}`);
    expect(right / checked).toBeGreaterThanOrEqual(0.9);
  });

  await test.step('no request carried the file', async () => {
    await requests.settled();
    expect(requests.length).toBeGreaterThan(0);
    const sent = requests.filter((r) => r.bytes > 0);
    expect(sent.reduce((s, r) => s + r.bytes, 0)).toBeLessThan(size / 100);
    expect(requests.filter((r) => /upload|ingest/.test(r.url))).toEqual([]);
    expect(requests.every((r) => r.url.startsWith(server.url) || r.url.startsWith('blob:') || r.url.startsWith('data:'))).toBe(true);
  });
});

test('the browser’s crop path agrees with the server’s for the same file and settings (mean IoU ≥ 0.9)', async () => {
  test.setTimeout(420_000);
  expect(browserPath, 'the browser analysis ran first').not.toBeNull();
  const key = await server.createKey(`preview-agreement-${Date.now()}@example.com`);
  const auth = { authorization: `Bearer ${key}` };
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(CLIP)], { type: 'video/mp4' }), 'two-people-still-listener.mp4');
  const ingest = await fetch(`${server.url}/api/v2/ingest`, { method: 'POST', headers: auth, body });
  expect(ingest.status).toBe(202);
  const { video_id: videoId } = (await ingest.json()) as { video_id: string };
  await waitForStep(server, key, videoId, 'ingest', 60_000);
  // The dashboard's defaults, which the preview uses: 9:16, single layout, the analyses it needs.
  const transform = await fetch(`${server.url}/api/v2/transform`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ video_id: videoId, transform_type: 'reframe', parameters: { aspect_ratio: '9:16' } }),
  });
  expect(transform.status, await transform.clone().text()).toBe(202);
  const step = await waitForStep(server, key, videoId, 'transform:reframe', 400_000);
  expect(step.status, JSON.stringify(step)).toBe('completed');
  const download = await fetch(`${server.url}/api/v2/download/${videoId}?suffix=_reframe_path`, { headers: auth });
  expect(download.status).toBe(200);
  const serverPath = (await download.json()) as Path;

  const end = Math.min(serverPath.end, browserPath!.end);
  const ious: number[] = [];
  for (let t = 0; t < end; t += 0.04) ious.push(iou(windowAt(serverPath, t), windowAt(browserPath!, t)));
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  console.log(
    `crop windows, browser vs server: mean IoU ${mean.toFixed(3)} over ${ious.length} times (min ${Math.min(...ious).toFixed(3)})`,
  );
  expect(mean).toBeGreaterThanOrEqual(0.9);
});

test('in one worker (no model helper) the analysis gives the same crop path', async ({ page }) => {
  test.setTimeout(420_000);
  expect(browserPath, 'the two-worker analysis ran first').not.toBeNull();
  await page.goto(`${server.url}/preview?backend=wasm&workers=1`);
  await page.getByLabel('Video file').setInputFiles(CLIP);
  await expect(page.getByTestId('backend')).toContainText('1 worker', { timeout: 60_000 });
  await expect(page.getByTestId('analysis-status')).toContainText('Analysed in', { timeout: 400_000 });
  const single = ((await page.evaluate(() => window.__reframePreview)) as Preview).result!.path;
  const end = Math.min(single.end, browserPath!.end);
  const ious: number[] = [];
  for (let t = 0; t < end; t += 0.04) ious.push(iou(windowAt(single, t), windowAt(browserPath!, t)));
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  console.log(`crop windows, one worker vs two: mean IoU ${mean.toFixed(4)} over ${ious.length} times`);
  expect(mean).toBeGreaterThanOrEqual(0.99);
});

test('signed in, "Render on server" is the one thing that uploads the file, through the dashboard upload', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Email').fill(`preview-render-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);

  const requests = recordRequests(page);
  await page.goto(`${server.url}/preview?backend=wasm`);
  await page.getByLabel('Video file').setInputFiles(CLIP);
  await expect(page.getByTestId('backend')).toContainText('WASM', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel analysis' }).click();
  await expect(page.getByTestId('analysis-status')).toHaveText('Analysis cancelled');
  expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

  await page.getByRole('button', { name: 'Render on server' }).click();
  await expect(page.getByRole('link', { name: 'Open it to reframe on the server' })).toBeVisible({ timeout: 60_000 });
  await requests.settled();
  const posts = requests.filter((r) => r.method === 'POST');
  expect(posts.map((r) => new URL(r.url).pathname)).toEqual(['/api/dashboard/upload']);
  expect(posts[0]!.bytes).toBeGreaterThan(fs.statSync(CLIP).size);
  await page.getByRole('link', { name: 'Open it to reframe on the server' }).click();
  await expect(page).toHaveURL(/\/videos\/[\w-]+$/);
});

test('with WebGPU enabled, the forced WebGPU face detector finds what the WASM one does', async () => {
  test.setTimeout(240_000);
  // Headless Chromium offers WebGPU only behind this flag, on a software (fallback) adapter: the page
  // itself would choose WASM there, so the test forces each backend on a few frames.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/preview`);
    await page.getByLabel('Video file').setInputFiles(CLIP);
    await expect(page.getByTestId('backend')).toContainText('WASM', { timeout: 60_000 });
    await expect(page.getByTestId('backend')).toHaveAttribute('title', /fallback/);
    await page.getByRole('button', { name: 'Cancel analysis' }).click();
    const [gpu, cpu] = [
      await page.evaluate(() => window.__reframePreviewDetect!('webgpu', 3)),
      await page.evaluate(() => window.__reframePreviewDetect!('wasm', 3)),
    ];
    expect(gpu.backend).toBe('webgpu');
    expect(cpu.backend).toBe('wasm');
    expect(gpu.frames).toHaveLength(3);
    for (const [i, frame] of cpu.frames.entries()) {
      const faces = frame.detections.filter((d) => d.score >= 0.5);
      const gpuFaces = gpu.frames[i]!.detections.filter((d) => d.score >= 0.5);
      expect(faces.length).toBe(2);
      expect(gpuFaces.length).toBe(faces.length);
      for (const face of faces) {
        const [x, y, w, h] = face.box;
        const best = Math.max(
          ...gpuFaces.map((g) =>
            iou({ t: 0, x, y, w, h, subject: null }, { t: 0, x: g.box[0], y: g.box[1], w: g.box[2], h: g.box[3], subject: null }),
          ),
        );
        expect(best).toBeGreaterThanOrEqual(0.95);
        const score = gpuFaces.reduce((s, g) => (Math.abs(g.box[0] - x) < Math.abs(s.box[0] - x) ? g : s)).score;
        expect(Math.abs(score - face.score)).toBeLessThan(0.02);
      }
    }
  } finally {
    await browser.close();
  }
});
