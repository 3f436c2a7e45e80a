// SSRF gate of URL ingest with ALLOW_PRIVATE_URLS=127.0.0.2/32: private/loopback URLs and non-http
// schemes refused at request time (422), redirects into a refused address or scheme failing the step,
// the allowed range working; hostile servers (slow-loris, no answer, endless body) stopped at the
// download time and size limits with nothing left behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, filesUnder, finished, localServer, sendFile, stopAll, waitUntil, type Client, type LocalServer } from './helpers';

const REFUSED = 'This URL points to a private or local network address, which is not allowed.';

let server: TestServer;
let limited: TestServer; // DOWNLOAD_TIMEOUT_MS=2000, MAX_UPLOAD_BYTES=1000000
let api: Client;
let limitedApi: Client;
let loopback: LocalServer; // 127.0.0.1: not allowed
let allowed: LocalServer; // 127.0.0.2: the one allowed range
let clip: Buffer;

beforeAll(async () => {
  clip = fs.readFileSync(makeClip('ssrf-1s.mp4', 1, { size: '64x64', rate: 5 }));
  [server, limited] = await Promise.all([
    startTestServer({ ALLOW_PRIVATE_URLS: '127.0.0.2/32' }),
    startTestServer({ ALLOW_PRIVATE_URLS: '127.0.0.2/32', DOWNLOAD_TIMEOUT_MS: '2000', MAX_UPLOAD_BYTES: '1000000' }),
  ]);
  api = client(server, await server.createKey('ssrf@example.com'));
  limitedApi = client(limited, await limited.createKey('limits@example.com'));
  loopback = await localServer((_req, res) => sendFile(res, clip));
  allowed = await localServer((req, res) => {
    if (req.url === '/to-loopback') return void res.writeHead(302, { location: `${loopback.origin}/clip.mp4` }).end();
    if (req.url === '/to-localhost') return void res.writeHead(301, { location: `http://localhost:${loopback.port}/clip.mp4` }).end();
    const hop = REDIRECTS[req.url ?? ''];
    if (hop) return void res.writeHead(302, { location: hop }).end();
    if (req.url === '/slow-loris') return slowLoris(res);
    if (req.url === '/no-answer') return; // accepts the connection, never sends a header
    if (req.url === '/endless') return endless(res);
    sendFile(res, clip);
  }, '127.0.0.2');
});

afterAll(async () => {
  await Promise.all([stopAll(server, limited), loopback?.close(), allowed?.close()]);
});

/** Redirect targets an attacker would try, each reachable through a 302 from the allowed host. */
const REDIRECTS: Record<string, string> = {
  '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  '/to-private-10': 'http://10.0.0.1/admin',
  '/to-ipv6-loopback': 'http://[::1]/x.mp4',
  '/to-file': 'file:///etc/passwd',
  '/to-gopher': 'gopher://127.0.0.1:6379/_FLUSHALL',
  '/to-ftp': 'ftp://127.0.0.2/video.mp4',
};

/** Headers at once, then one byte every 200 ms: never finishes, never stalls long enough for an idle timeout. */
function slowLoris(res: import('node:http').ServerResponse): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 500_000 });
  const timer = setInterval(() => res.write(Buffer.from([0])), 200);
  res.on('close', () => clearInterval(timer));
}

/** A chunked body without end or Content-Length, 64 KiB at a time as fast as the client reads. */
function endless(res: import('node:http').ServerResponse): void {
  res.writeHead(200, { 'content-type': 'video/mp4' });
  const chunk = Buffer.alloc(64 * 1024, 1);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
}

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
      ['private 10/8', () => 'http://10.1.2.3/x.mp4'],
      ['private 172.16/12', () => 'http://172.16.0.1/x.mp4'],
      ['carrier-grade NAT', () => 'http://100.64.0.1/x.mp4'],
      ['hex loopback', () => `http://0x7f000001:${port()}/x.mp4`],
      ['IPv6 unique local', () => 'http://[fd00::1]/x.mp4'],
    ] as const;

  it.each(urls(() => loopback.port))('refuses a %s URL with 422 url_not_allowed and never connects', async (_name, url) => {
    const seen = loopback.requests.length;
    const res = await api.ingestUrl(url());
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ error: { code: 'url_not_allowed', message: REFUSED } });
    expect(loopback.requests.length).toBe(seen);
  });

  it.each([
    'gopher://127.0.0.2:6379/_INFO',
    'ftp://127.0.0.2/x.mp4',
    'file:///etc/passwd',
    'data:video/mp4;base64,AAAA',
    'javascript:alert(1)',
  ])('refuses the scheme of %s with 422 url_not_allowed', async (url) => {
    const res = await api.ingestUrl(url);
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ error: { code: 'url_not_allowed', message: 'Only http:// and https:// URLs can be downloaded.' } });
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

describe('redirects to refused targets', () => {
  it.each([
    ['/to-metadata', REFUSED],
    ['/to-private-10', REFUSED],
    ['/to-ipv6-loopback', REFUSED],
    ['/to-file', 'Only http:// and https:// URLs can be downloaded.'],
    ['/to-gopher', 'Only http:// and https:// URLs can be downloaded.'],
    ['/to-ftp', 'Only http:// and https:// URLs can be downloaded.'],
  ])('fails the step with url_not_allowed when the URL redirects via %s', async (p, message) => {
    const res = await api.ingestUrl(`${allowed.origin}${p}`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(api, res.body.video_id, finished);
    expect(step).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'url_not_allowed', message } });
    expect(filesUnder(path.join(server.dataDir, 'videos', res.body.video_id))).toEqual([]);
  });
});

describe('hostile servers (DOWNLOAD_TIMEOUT_MS=2000, MAX_UPLOAD_BYTES=1000000)', () => {
  it.each(['/slow-loris', '/no-answer'])('stops %s at the deadline with download_timeout and keeps nothing', async (p) => {
    const started = Date.now();
    const res = await limitedApi.ingestUrl(`${allowed.origin}${p}`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(limitedApi, res.body.video_id, finished, 'ingest', 20_000);
    expect(step).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'download_timeout', message: 'The download took longer than 2 s.' },
    });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(filesUnder(path.join(limited.dataDir, 'videos', res.body.video_id))).toEqual([]);
  });

  it('stops an endless body at MAX_UPLOAD_BYTES with payload_too_large and keeps nothing', async () => {
    const res = await limitedApi.ingestUrl(`${allowed.origin}/endless`);
    expect(res.status, res.text).toBe(202);
    const step = await waitUntil(limitedApi, res.body.video_id, finished, 'ingest', 20_000);
    expect(step).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'payload_too_large', message: 'The file is larger than the limit of 1000000 bytes.' },
    });
    expect(filesUnder(path.join(limited.dataDir, 'videos', res.body.video_id))).toEqual([]);
  });

  it('is still serving after all of them', async () => {
    expect((await limitedApi.get('/api/v2/account')).status).toBe(200);
  });
});
