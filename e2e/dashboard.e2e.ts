// The video dashboard in a real browser against the real server and its embedded worker: sign up,
// a text file refused before upload and a fake .mp4 refused by the ingest, upload the talking head
// with visible progress, run the analyses, reframe, play both players in sync, pay for the download
// (cost shown first, balance after), the credits ledger, a crop path edit re-rendered, and /docs.
// Saves light and dark screenshots of each page under test-results/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from './support/test-server';

const SHOTS = 'test-results/screenshots';
const MEDIA = '/work/shared/media/talking/talking-head-2.mp4';
const PASSWORD = 'correct horse battery staple';

let server: TestServer;
let scratch: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'reframe-e2e-'));
});
test.afterAll(async () => {
  await server?.stop();
});

async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/${name}${scheme === 'dark' ? '-dark' : ''}.png`, fullPage, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('upload, analyse, reframe, play, pay and download a video; credits and docs', async ({ page }) => {
  test.setTimeout(240_000);
  const email = `dash-${Date.now()}@example.com`;
  const videos = page.getByRole('list', { name: 'Videos' });

  await test.step('sign up lands on the empty videos page', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect(page.getByRole('heading', { name: 'Videos', level: 1 })).toBeVisible();
    await expect(page.getByText('No videos yet')).toBeVisible();
    await screenshot(page, 'videos-empty');
  });

  await test.step('a text file is refused before upload, a fake .mp4 by the ingest', async () => {
    const notes = path.join(scratch, 'notes.txt');
    fs.writeFileSync(notes, 'not a video\n');
    await page.getByLabel('Video file').setInputFiles(notes);
    await expect(page.getByRole('main').getByRole('alert')).toContainText('“notes.txt” is not a video file');
    await screenshot(page, 'upload-error');

    const fake = path.join(scratch, 'fake.mp4');
    fs.writeFileSync(fake, 'this is text pretending to be a video\n'.repeat(20));
    await page.getByLabel('Video file').setInputFiles(fake);
    const row = videos.getByRole('listitem').filter({ hasText: 'fake.mp4' });
    await expect(row.getByText('Failed', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
    await expect(row).toContainText('not a readable video');
    await expect(row.getByRole('button', { name: 'Retry Ingest' })).toBeVisible();
  });

  await test.step('a slow upload shows bytes and percent, and can be cancelled', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 60_000 });
    await page.getByLabel('Video file').setInputFiles(MEDIA);
    await expect(page.getByTestId('upload-progress')).toContainText(/of 46\d KB · \d+%/);
    await expect(page.getByRole('progressbar', { name: 'Upload progress' })).toBeVisible();
    await screenshot(page, 'upload-progress', { fullPage: false });
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    await expect(page.getByText('Upload cancelled.')).toBeVisible();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  });

  await test.step('upload the talking head: progress, then ready with a thumbnail', async () => {
    await page.getByLabel('Video file').setInputFiles(MEDIA);
    const row = videos.getByRole('listitem').filter({ hasText: 'talking-head-2.mp4' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(row).toContainText('0:05');
    await expect(row.locator('img')).toHaveJSProperty('complete', true);
    expect(await row.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
    await screenshot(page, 'videos');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'videos-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.getByRole('link', { name: 'talking-head-2.mp4' }).click();
    await page.waitForURL(/\/videos\/vid_/);
  });

  const analyses = page.getByRole('region', { name: 'Analyses' });
  await test.step('run the analyses and see them on the timeline', async () => {
    await analyses.getByRole('button', { name: 'Run all' }).click();
    await expect(analyses.getByRole('progressbar').first()).toBeVisible({ timeout: 15_000 });
    await screenshot(page, 'video-running');
    await expect(analyses.getByText('Ready', { exact: true })).toHaveCount(5, { timeout: 150_000 });
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline).toContainText('Scenes');
    await expect(timeline).toContainText(/Face \d/);
    await expect(timeline).toContainText('Speaking · face');
    await expect(page.getByTestId('face-box').first()).toBeVisible();
  });

  await test.step('reframe, then play both players in sync', async () => {
    await page.getByRole('button', { name: 'Reframe video' }).click();
    const output = page.getByTestId('output-player');
    await expect(output).toBeVisible({ timeout: 90_000 });
    await expect.poll(() => output.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId('source-player').evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await expect.poll(() => output.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.3);
    // The playhead and the face boxes follow playback (the source's clock drives them).
    await expect
      .poll(async () => Number(await page.getByRole('slider', { name: 'Playhead' }).getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    await page.getByTestId('source-player').evaluate((v: HTMLVideoElement) => v.pause());
    await page.getByRole('slider', { name: 'Playhead' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => output.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5000 }).toBeCloseTo(2, 0);
    await expect(page.getByRole('slider', { name: 'Playhead' })).toHaveAttribute('aria-valuenow', '2');
    await screenshot(page, 'video');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'video-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test.step('the download shows its cost, charges once and shows the balance after', async () => {
    const downloads = page.getByRole('region', { name: 'Download' });
    await expect(downloads).toContainText('Costs 5 credits');
    await expect(downloads).toContainText('You have 300');
    await downloads.getByRole('button', { name: 'Download MP4 · 5 credits' }).click();
    const dialog = page.getByRole('dialog', { name: 'Download for 5 credits?' });
    await expect(dialog).toContainText('goes from 300 to 295 credits');
    await screenshot(page, 'download-confirm', { fullPage: false });
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Pay 5 credits and download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/_reframe\.mp4$/);
    expect(fs.statSync(await file.path()).size).toBeGreaterThan(10_000);
    await expect(page.getByTestId('receipt')).toHaveText('Charged 5 credits. Balance now 295 credits.');
    await expect(downloads).toContainText('Paid');
  });

  await test.step('credits: balance and the ledger entry of the charge', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Credits' }).click();
    await expect(page.getByTestId('balance')).toHaveText('295');
    const charge = page.getByTestId('ledger').getByRole('row').filter({ hasText: 'Video download' });
    await expect(charge).toContainText('−5');
    await expect(charge.getByRole('cell').nth(3)).toHaveText('5');
    await expect(page.getByTestId('ledger').getByRole('row').filter({ hasText: 'Sign-up credits' })).toContainText('+300');
    await screenshot(page, 'credits');
    await page.goBack();
  });

  await test.step('move the crop window at a keyframe and re-render', async () => {
    const editor = page.getByRole('region', { name: 'Crop path editor' });
    await expect(editor).toBeVisible();
    const crop = editor.getByTestId('crop-window');
    await crop.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect(editor).toContainText('Unsaved edits');
    await screenshot(page, 'crop-editor');
    const box = (await crop.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 40, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect(crop).toHaveAccessibleName(/x \d+, y \d+/);
    await editor.getByRole('button', { name: 'Pin face for this span' }).click();
    // One keyframe per half second of the 5 s scene, each framing the pinned face.
    await expect(editor.getByRole('button', { name: /^\d+\.\d\d s$/ })).toHaveCount(11);
    await expect(crop).toContainText(/face \d/);
    await editor.getByRole('button', { name: 'Re-render with these edits' }).click();
    await expect(page.getByRole('region', { name: 'Reframe' }).getByText('Ready', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(editor).not.toContainText('Unsaved edits');
    // The stored crop path is the edited one once the re-render has finished.
    const videoId = page.url().split('/').pop()!;
    await expect
      .poll(
        async () => {
          const res = await page.request.get(`${server.url}/media/${videoId}/reframe_path`);
          const stored = (await res.json()) as { scenes: { keyframes: { subject: number | null }[] }[] };
          return stored.scenes[0]!.keyframes.length;
        },
        { timeout: 60_000 },
      )
      .toBe(11);
  });

  await test.step('API docs from the OpenAPI document with curl on this server', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'API docs' }).click();
    await expect(page.getByRole('heading', { name: 'Reframe API' })).toBeVisible();
    await expect(page.locator('pre').first()).toContainText(`curl -X POST "${server.url}/api/v2/ingest"`);
    await screenshot(page, 'docs');
  });
});
