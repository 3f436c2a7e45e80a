// Integration tests for callback delivery against a real HTTP server on 127.0.0.1: the receiver checks
// the X-Signature with verifyWebhook exactly as an integrator would, and scripted routes answer 5xx,
// 4xx, redirects, or nothing at all, to check which failures are worth retrying and which are final.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../services/webhooks/webhook-signature';
import { parseAllowPrivate } from './address-policy';
import { sendWebhook, validateCallbackUrl, type SendWebhookOptions } from './webhook-sender.repository';

const SECRET = 'whsec_integration';
const BODY = JSON.stringify({ event: 'job.completed', job_id: 'job_42', status: 'succeeded', note: 'café ☕' });
const loopback = parseAllowPrivate('127.0.0.1');
const publicOnly = parseAllowPrivate('0');

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; verified: boolean };

let server: http.Server;
let origin: string;
let received: Received[] = [];

const routes: Record<string, (res: http.ServerResponse) => void> = {
  '/hook': (res) => res.writeHead(204).end(),
  '/accepted': (res) => res.writeHead(202).end('queued'),
  '/fail': (res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('database\nis down'),
  '/busy': (res) => res.writeHead(429, { 'retry-after': '30' }).end(),
  '/missing': (res) => res.writeHead(404).end('no such hook'),
  '/gone': (res) => res.writeHead(410).end(),
  '/redirect': (res) => res.writeHead(302, { location: '/hook' }).end(),
  '/huge-error': (res) => res.writeHead(503).end('x'.repeat(5_000_000)),
  '/slow': () => undefined,
};

function options(path: string, overrides: Partial<SendWebhookOptions> = {}): SendWebhookOptions {
  return { url: `${origin}${path}`, body: BODY, secret: SECRET, eventId: 'evt_1', timeoutMs: 5_000, policy: loopback, ...overrides };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhook(SECRET, String(req.headers['x-signature']), body);
      received.push({ path: req.url!, headers: req.headers, body, verified });
      (routes[req.url!] ?? ((r: http.ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('sendWebhook', () => {
  it('POSTs the body with a signature the receiver verifies, the event id and the timestamp', async () => {
    await expect(sendWebhook(options('/hook'))).resolves.toEqual({ delivered: true, status: 204 });
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(hit!.verified).toBe(true);
    expect(hit!.body).toBe(BODY);
    expect(hit!.headers['content-type']).toBe('application/json');
    expect(hit!.headers['user-agent']).toMatch(/^reframe-service\//);
    expect(hit!.headers['x-webhook-id']).toBe('evt_1');
    const timestamp = Number(hit!.headers['x-webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(hit!.headers['x-signature']).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
    expect(verifyWebhook('wrong_secret', String(hit!.headers['x-signature']), hit!.body)).toBe(false);
  });

  it('counts any 2xx as delivered', async () => {
    await expect(sendWebhook(options('/accepted'))).resolves.toEqual({ delivered: true, status: 202 });
  });

  it('reports a 500 as transient, quoting the start of the answer on one line', async () => {
    const result = await sendWebhook(options('/fail'));
    expect(result).toEqual({
      delivered: false,
      permanent: false,
      status: 500,
      reason: 'The callback URL answered HTTP 500: database is down',
    });
  });

  it('reports 429 as transient', async () => {
    await expect(sendWebhook(options('/busy'))).resolves.toMatchObject({ delivered: false, permanent: false, status: 429 });
  });

  it('reports 404 and 410 as permanent', async () => {
    await expect(sendWebhook(options('/missing'))).resolves.toMatchObject({ delivered: false, permanent: true, status: 404 });
    await expect(sendWebhook(options('/gone'))).resolves.toMatchObject({ delivered: false, permanent: true, status: 410 });
  });

  it('does not follow a redirect, and reports it as permanent', async () => {
    const result = await sendWebhook(options('/redirect'));
    expect(result).toMatchObject({ delivered: false, permanent: true, status: 302 });
    expect(result.delivered === false && result.reason).toMatch(/do not follow redirects/);
    expect(received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('reads no more than a small part of an answer', async () => {
    const result = await sendWebhook(options('/huge-error'));
    expect(result).toMatchObject({ delivered: false, permanent: false, status: 503 });
    expect(result.delivered === false && result.reason.length).toBeLessThan(300);
  });

  it('gives up on a server that does not answer, as transient', async () => {
    const started = Date.now();
    const result = await sendWebhook(options('/slow', { timeoutMs: 300 }));
    expect(result).toEqual({ delivered: false, permanent: false, reason: 'The callback URL did not answer within 0.3 s.' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports a refused connection as transient', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await sendWebhook(options('', { url: `http://127.0.0.1:${port}/hook` }));
    expect(result).toMatchObject({ delivered: false, permanent: false });
    expect(result.delivered === false && result.reason).toMatch(/refused the connection/);
  });

  it('refuses a private address unless the policy allows it, without connecting', async () => {
    const result = await sendWebhook(options('/hook', { policy: publicOnly }));
    expect(result).toEqual({
      delivered: false,
      permanent: true,
      reason: 'The callback URL points to a private or local network address, which is not allowed.',
    });
    expect(received).toHaveLength(0);
  });

  it('resolves a host name and checks the address it connects to', async () => {
    const url = `http://localhost:${new URL(origin).port}/hook`;
    await expect(sendWebhook(options('', { url, policy: publicOnly }))).resolves.toMatchObject({ delivered: false, permanent: true });
    expect(received).toHaveLength(0);
    await expect(sendWebhook(options('', { url, policy: parseAllowPrivate('127.0.0.1,::1') }))).resolves.toEqual({
      delivered: true,
      status: 204,
    });
    expect(received[0]!.verified).toBe(true);
  });

  it('refuses a URL that is not http(s) before doing anything', async () => {
    await expect(sendWebhook(options('', { url: 'file:///etc/passwd' }))).resolves.toMatchObject({ delivered: false, permanent: true });
  });

  it("throws the caller's abort reason instead of recording a failure", async () => {
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    setTimeout(() => controller.abort(reason), 100);
    await expect(sendWebhook(options('/slow', { signal: controller.signal }))).rejects.toBe(reason);
  });
});

describe('validateCallbackUrl', () => {
  it.each([
    ['https://hooks.example.com/reframe?token=abc', null],
    ['http://hooks.example.com:8080/x', null],
    ['', 'The callback URL is empty.'],
    ['not a url', 'The callback URL is not a valid URL.'],
    ['ftp://hooks.example.com/x', 'The callback URL must start with http:// or https://.'],
    ['javascript:alert(1)', 'The callback URL must start with http:// or https://.'],
    ['https://user:pass@hooks.example.com/x', expect.stringMatching(/must not contain a user name or password/)],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'The callback URL is longer than 2048 characters.'],
    ['http://127.0.0.1:3000/x', expect.stringMatching(/private or local network address/)],
    ['http://169.254.169.254/latest/meta-data', expect.stringMatching(/private or local network address/)],
    ['http://[::1]/x', expect.stringMatching(/private or local network address/)],
    ['http://localhost/x', expect.stringMatching(/private or local network address/)],
  ])('%s → %s', (url, expected) => {
    expect(validateCallbackUrl(url, publicOnly)).toEqual(expected);
  });

  it('lets the policy allow private addresses, as ALLOW_PRIVATE_URLS does for ingest', () => {
    expect(validateCallbackUrl('http://127.0.0.1:3000/x', loopback)).toBeNull();
    expect(validateCallbackUrl('http://10.0.0.5/x', parseAllowPrivate('1'))).toBeNull();
  });
});
