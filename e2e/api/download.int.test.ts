// GET/HEAD /api/v2/download/{id}: suffixes, missing outputs and path traversal (404), headers and byte
// ranges (200/206/416/304), and credits: floor(duration) charged exactly once, even under concurrency; 402 when short.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, httpFetch, ingestFile, stopAll, type AccountJson, type Client } from './helpers';

let server: TestServer;
let key: string;
let api: Client;
let videoId: string; // 7.5–7.6 s → 7 credits
let output: Buffer; // what the future reframe step would write

beforeAll(async () => {
  server = await startTestServer();
  key = await server.createKey('download@example.com');
  api = client(server, key);
  const ingested = await ingestFile(api, makeClip('dl-7.5s.mp4', 7.5, { size: '64x64', rate: 5 }));
  expect(ingested.step.status).toBe('completed');
  videoId = ingested.videoId;
  output = fs.readFileSync(makeClip('dl-output.mp4', 3, { size: '90x160' }));
  seedOutput(videoId, 'reframe.mp4', output);
});

afterAll(async () => {
  await stopAll(server);
});

/** Writes a file where the reframe step will put its outputs (fixture seeding). */
function seedOutput(id: string, name: string, data: Buffer | string): void {
  const dir = path.join(server.dataDir, 'videos', id, 'outputs');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), data);
}

function download(id: string, query = '', headers: Record<string, string> = {}, k = key, method = 'GET') {
  return httpFetch(`${server.url}/api/v2/download/${id}${query}`, { method, headers: { authorization: `Bearer ${k}`, ...headers } });
}

async function account(a: Client = api): Promise<AccountJson> {
  const res = await a.get<AccountJson>('/api/v2/account');
  expect(res.status).toBe(200);
  // The balance is always the sum of the ledger.
  expect(res.body.balance).toBe(res.body.ledger.reduce((sum, e) => sum + e.amount, 0));
  return res.body;
}

const chargesOf = (acc: AccountJson, id: string) => acc.ledger.filter((e) => e.reason === 'video_download' && e.video_id === id);

describe('what can be downloaded', () => {
  it('answers 404 for an unknown suffix', async () => {
    const res = await download(videoId, '?suffix=_thumbnail');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'Unknown suffix "_thumbnail"; use one of _reframe, _reframe_path.' },
    });
  });

  it('answers 404 when the output does not exist yet', async () => {
    const res = await download(videoId, '?suffix=_reframe_path');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'This video has no _reframe_path output yet.' } });
    const other = await ingestFile(api, makeClip('dl-1s.mp4', 1, { size: '64x64', rate: 5 }));
    const none = await download(other.videoId);
    expect(none.status).toBe(404);
    expect((await none.json()).error.message).toBe('This video has no _reframe output yet.');
  });

  it.each([
    ['suffix=../../app.db', `?suffix=../../app.db`],
    ['suffix=%2e%2e', '?suffix=%2e%2e'],
    ['suffix=%2e%2e%2f%2e%2e%2fapp.db', '?suffix=%2e%2e%2f%2e%2e%2fapp.db'],
    ['suffix=/etc/passwd', '?suffix=%2Fetc%2Fpasswd'],
    ['suffix=__proto__', '?suffix=__proto__'],
  ])('answers 404 for a path-traversal suffix (%s)', async (_n, query) => {
    const res = await download(videoId, query);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('not_found');
    expect(JSON.stringify(body)).not.toContain('SQLite');
  });

  it('answers 404 for a path-traversal video id', async () => {
    for (const id of ['..%2F..%2Fapp.db', `${videoId}%2F..%2F..%2Fapp.db`, '..%2Fapp.db']) {
      const res = await download(id);
      expect(res.status, id).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });

  it('answers 405 for other methods', async () => {
    const res = await download(videoId, '', {}, key, 'DELETE');
    expect(res.status).toBe(405);
  });

  it('charged nothing for any of these', async () => {
    const acc = await account();
    expect(acc.balance).toBe(300);
    expect(acc.ledger.map((e) => e.reason)).toEqual(['signup_grant']);
  });
});

describe('serving the file', () => {
  let etag: string;

  it('serves the MP4 with its headers and charges floor(duration) credits once', async () => {
    const res = await download(videoId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-length')).toBe(String(output.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${videoId}_reframe.mp4"`);
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(output)).toBe(true);

    const acc = await account();
    expect(acc.balance).toBe(300 - 7);
    expect(chargesOf(acc, videoId)).toEqual([
      { id: expect.any(String), amount: -7, reason: 'video_download', video_id: videoId, seconds: 7, created_at: expect.any(String) },
    ]);
    const video = await api.get(`/api/v2/videos/${videoId}`);
    expect(video.body.duration).toBeGreaterThanOrEqual(7.5);
    expect(video.body.duration).toBeLessThan(7.7);
    expect(video.body.credits_required).toBe(7);
  });

  it('serves byte ranges: bytes=0-99', async () => {
    const res = await download(videoId, '', { range: 'bytes=0-99' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${output.length}`);
    expect(res.headers.get('content-length')).toBe('100');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer()).equals(output.subarray(0, 100))).toBe(true);
  });

  it('serves byte ranges: bytes=-10 and bytes=1000-', async () => {
    const tail = await download(videoId, '', { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${output.length - 10}-${output.length - 1}/${output.length}`);
    expect(tail.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await tail.arrayBuffer()).equals(output.subarray(-10))).toBe(true);

    const open = await download(videoId, '', { range: 'bytes=1000-' });
    expect(open.status).toBe(206);
    expect(open.headers.get('content-length')).toBe(String(output.length - 1000));
    expect(Buffer.from(await open.arrayBuffer()).equals(output.subarray(1000))).toBe(true);
  });

  it('answers 416 for an unsatisfiable range', async () => {
    for (const range of [`bytes=${output.length}-`, `bytes=${output.length + 10}-${output.length + 20}`, 'bytes=50-10']) {
      const res = await download(videoId, '', { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${output.length}`);
      await res.arrayBuffer();
    }
  });

  it('answers HEAD with the headers and no body, and 304 for a matching If-None-Match', async () => {
    const head = await download(videoId, '', {}, key, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(output.length));
    expect(head.headers.get('content-type')).toBe('video/mp4');
    expect(head.headers.get('etag')).toBe(etag);
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const cached = await download(videoId, '', { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect((await cached.arrayBuffer()).byteLength).toBe(0);
  });

  it('serves the crop path JSON and charges neither it nor a repeat download', async () => {
    const pathJson = JSON.stringify({ width: 90, height: 160, keyframes: [{ t: 0, x: 10 }] });
    seedOutput(videoId, 'reframe_path.json', pathJson);
    const json = await download(videoId, '?suffix=_reframe_path');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('content-length')).toBe(String(Buffer.byteLength(pathJson)));
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="${videoId}_reframe_path.json"`);
    expect(await json.text()).toBe(pathJson);

    const again = await download(videoId);
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(output)).toBe(true);

    const acc = await account();
    expect(acc.balance).toBe(293);
    expect(chargesOf(acc, videoId)).toHaveLength(1);
    expect(acc.ledger).toHaveLength(2);
  });

  it('charges nothing for HEAD or an unsatisfiable range on a video not yet paid for', async () => {
    const fresh = await ingestFile(api, makeClip('dl-3.5s.mp4', 3.5, { size: '64x64', rate: 5 }));
    seedOutput(fresh.videoId, 'reframe.mp4', output);
    const before = (await account()).balance;
    expect((await download(fresh.videoId, '', {}, key, 'HEAD')).status).toBe(200);
    const unsatisfiable = await download(fresh.videoId, '', { range: `bytes=${output.length}-` });
    expect(unsatisfiable.status).toBe(416);
    await unsatisfiable.arrayBuffer();
    const acc = await account();
    expect(chargesOf(acc, fresh.videoId)).toEqual([]);
    expect(acc.balance).toBe(before);
  });

  it('charges exactly once for 20 parallel first downloads of a fresh video', async () => {
    const fresh = await ingestFile(api, makeClip('dl-4.5s.mp4', 4.5, { size: '64x64', rate: 5 }));
    expect(fresh.step.status).toBe('completed');
    seedOutput(fresh.videoId, 'reframe.mp4', output);
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await download(fresh.videoId);
        return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of results) expect(r.body.equals(output)).toBe(true);

    const acc = await account();
    expect(chargesOf(acc, fresh.videoId)).toEqual([expect.objectContaining({ amount: -4, seconds: 4, video_id: fresh.videoId })]);
    expect(acc.balance).toBe(293 - 4);
  });
});

describe('insufficient credits', () => {
  let longApi: Client;
  let longKey: string;
  let longId: string;
  const email = 'long@example.com';

  beforeAll(async () => {
    longKey = await server.createKey(email);
    longApi = client(server, longKey);
    const started = Date.now();
    const file = makeClip('dl-320s.mp4', 320, { size: '64x64', rate: 1 });
    expect(Date.now() - started).toBeLessThan(20_000);
    const ingested = await ingestFile(longApi, file);
    expect(ingested.step.status, JSON.stringify(ingested.step)).toBe('completed');
    longId = ingested.videoId;
    seedOutput(longId, 'reframe.mp4', output);
  });

  it('answers 402 with credits_required and credits_remaining, and charges nothing', async () => {
    const res = await download(longId, '', {}, longKey);
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({
      error: { code: 'insufficient_credits', message: 'This video needs 320 credits; the account has 300.' },
      credits_required: 320,
      credits_remaining: 300,
    });
    const head = await download(longId, '', {}, longKey, 'HEAD');
    expect(head.status).toBe(402);
    const acc = await account(longApi);
    expect(acc.balance).toBe(300);
    expect(acc.ledger).toHaveLength(1);
  });

  it('succeeds once the admin grants credits, charging 320', async () => {
    const out = await server.admin('grant-credits', '--email', email, '--amount', '100', '--reason', 'test');
    expect(out).toContain(`granted 100 credits to ${email}; balance 400`);
    const res = await download(longId, '', {}, longKey);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(output)).toBe(true);
    const acc = await account(longApi);
    expect(acc.balance).toBe(80);
    expect(acc.ledger.map((e) => [e.reason, e.amount, e.seconds])).toEqual(
      expect.arrayContaining([
        ['signup_grant', 300, null],
        ['test', 100, null],
        ['video_download', -320, 320],
      ]),
    );
    expect(acc.ledger).toHaveLength(3);
  });

  it('lets only one of two concurrent downloads through when the balance covers just one', async () => {
    // Balance 80; two 50 s videos downloaded at the same moment: one is charged, the other gets 402.
    const clip = makeClip('dl-50s.mp4', 50, { size: '64x64', rate: 1 });
    const [a, b] = await Promise.all([ingestFile(longApi, clip), ingestFile(longApi, clip)]);
    for (const v of [a, b]) {
      expect(v.step.status).toBe('completed');
      seedOutput(v.videoId, 'reframe.mp4', output);
    }
    const results = await Promise.all(
      [a, b].map(async (v) => {
        const res = await download(v.videoId, '', {}, longKey);
        return { status: res.status, body: res.status === 402 ? await res.json() : (await res.arrayBuffer(), null) };
      }),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 402]);
    expect(results.find((r) => r.status === 402)?.body).toMatchObject({ credits_required: 50, credits_remaining: 30 });
    const acc = await account(longApi);
    expect(acc.balance).toBe(30);
    expect(
      acc.ledger
        .filter((e) => e.reason === 'video_download')
        .map((e) => e.amount)
        .sort(),
    ).toEqual([-320, -50]);
  });

  it('left the first account untouched', async () => {
    const acc = await account();
    expect(acc.balance).toBe(289);
    expect(acc.ledger).toHaveLength(3);
  });
});
