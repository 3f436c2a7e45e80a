// SSRF gate of URL ingest with ALLOW_PRIVATE_URLS=127.0.0.2/32: private/loopback URLs refused at
// request time (422), redirects into a refused address failing the step, the allowed range working.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, finished, localServer, sendFile, stopAll, waitUntil, type Client, type LocalServer } from './helpers';

const REFUSED = 'This URL points to a private or local network address, which is not allowed.';

let server: TestServer;
let api: Client;
let loopback: LocalServer; // 127.0.0.1: not allowed
let allowed: LocalServer; // 127.0.0.2: the one allowed range
let clip: Buffer;

beforeAll(async () => {
  clip = fs.readFileSync(makeClip('ssrf-1s.mp4', 1, { size: '64x64', rate: 5 }));
  server = await startTestServer({ ALLOW_PRIVATE_URLS: '127.0.0.2/32' });
  api = client(server, await server.createKey('ssrf@example.com'));
  loopback = await localServer((_req, res) => sendFile(res, clip));
  allowed = await localServer((req, res) => {
    if (req.url === '/to-loopback') return void res.writeHead(302, { location: `${loopback.origin}/clip.mp4` }).end();
    if (req.url === '/to-localhost') return void res.writeHead(301, { location: `http://localhost:${loopback.port}/clip.mp4` }).end();
    sendFile(res, clip);
  }, '127.0.0.2');
});

afterAll(async () => {
  await Promise.all([stopAll(server), loopback?.close(), allowed?.close()]);
});

describe('request-time checks', () => {
  const urls = (port: () => number) =>
    [
      ['loopback IP', () => `http://127.0.0.1:${port()}/x.mp4`],
      ['localhost', () => `http://localhost:${port()}/`],
      ['short loopback form', () => `http://127.1:${port()}/x.mp4`],
      ['decimal loopback', () => `http://2130706433:${port()}/x.mp4`],
      ['IPv6 loopback', () => `http://[::1]:${port()}/x.mp4`],
      ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port()}/x.mp4`],
      ['unspecified address', () => `http://0.0.0.0:${port()}/x.mp4`],
      ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
      ['private LAN', () => 'http://192.168.1.10/video.mp4'],
      ['another loopback address', () => `http://127.0.0.3:${port()}/x.mp4`],
    ] as const;

  it.each(urls(() => loopback.port))('refuses a %s URL with 422 url_not_allowed and never connects', async (_name, url) => {
    const seen = loopback.requests.length;
    const res = await api.ingestUrl(url());
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ error: { code: 'url_not_allowed', message: REFUSED } });
    expect(loopback.requests.length).toBe(seen);
  });

  it('lists none of the refused requests as videos', async () => {
    const list = await api.get('/api/v2/videos?limit=100');
    expect(list.status).toBe(200);
    expect(
      list.body.videos.filter((v: { source: { url?: string } }) => /127\.0\.0\.1|localhost|169\.254/.test(v.source.url ?? '')),
    ).toEqual([]);
  });
});

describe('download-time checks', () => {
  it('ingests from the allowed range (127.0.0.2)', async () => {
    const res = await api.ingestUrl(`${allowed.origin}/clip.mp4`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished);
    expect(step.status, JSON.stringify(step)).toBe('completed');
  });

  it.each(['/to-loopback', '/to-localhost'])('fails the step with url_not_allowed when %s redirects to a refused address', async (p) => {
    const seen = loopback.requests.length;
    const res = await api.ingestUrl(`${allowed.origin}${p}`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished);
    expect(step.status).toBe('failed');
    expect(step.error).toEqual({ code: 'url_not_allowed', message: REFUSED });
    expect(step.attempts).toBe(1);
    expect(allowed.requests.at(-1)).toBe(p);
    // The redirect target was never contacted.
    expect(loopback.requests.length).toBe(seen);
  });
});
