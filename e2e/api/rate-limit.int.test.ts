// Per-key rate limiting against the real server with RATE_LIMIT_PER_MINUTE=5: the sixth request of a
// burst is 429 rate_limited with Retry-After, on the Next.js routes and the Node download handler
// alike (one count per key), other keys are unaffected, and the key works again after the wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, stopAll, type Client } from './helpers';

let server: TestServer;
let unlimited: TestServer;
let keyA: string;
let api: Client;
let other: Client;

beforeAll(async () => {
  [server, unlimited] = await Promise.all([
    startTestServer({ RATE_LIMIT_PER_MINUTE: '5' }),
    startTestServer({ RATE_LIMIT_PER_MINUTE: '0' }),
  ]);
  keyA = await server.createKey('limited@example.com');
  api = client(server, keyA);
  other = client(server, await server.createKey('other@example.com'));
});

afterAll(async () => {
  await stopAll(server, unlimited);
});

describe('RATE_LIMIT_PER_MINUTE=5', () => {
  it('answers the sixth request of a burst with 429, Retry-After and the standard body; the download counts too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.get('/api/v2/account')).status);
    // The download handler lives outside Next.js but shares the count: 404 (no such video) is a counted request.
    for (let i = 0; i < 2; i++) statuses.push((await api.get('/api/v2/download/vid_missing')).status);
    expect(statuses).toEqual([200, 200, 200, 404, 404]);

    for (const p of ['/api/v2/account', '/api/v2/download/vid_missing']) {
      const res = await api.get(p);
      expect(res.status, p).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 12, `Retry-After ${retryAfter}`).toBe(true);
      expect(res.body).toEqual({
        error: {
          code: 'rate_limited',
          message: `Too many requests with this API key (limit 5 per minute). Retry in ${retryAfter} s.`,
        },
        retry_after: retryAfter,
      });
    }
    const post = await api.postJson('/api/v2/ingest', { url: 'https://example.com/a.mp4' });
    expect(post.status).toBe(429);
    expect(post.body.error.code).toBe('rate_limited');
  });

  it("does not count against another account's key, nor limit requests without a valid key", async () => {
    expect((await other.get('/api/v2/account')).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await client(server, 'sk-nope').get('/api/v2/account')).status).toBe(401);
  });

  it('lets the key through again once Retry-After has passed', { timeout: 30_000 }, async () => {
    const limited = await api.get('/api/v2/account');
    expect(limited.status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000 + 200));
    expect((await api.get('/api/v2/account')).status).toBe(200);
    expect((await api.get('/api/v2/account')).status).toBe(429);
  });
});

describe('RATE_LIMIT_PER_MINUTE=0', () => {
  it('never limits', async () => {
    const key = await unlimited.createKey('free@example.com');
    const statuses = await Promise.all(Array.from({ length: 50 }, () => client(unlimited, key).get('/api/v2/account')));
    expect(statuses.map((r) => r.status)).toEqual(Array(50).fill(200));
  });
});
