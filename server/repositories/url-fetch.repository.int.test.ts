// Integration tests for the URL downloader against real HTTP servers on 127.0.0.1 and 127.0.0.2,
// so the SSRF checks, redirects and limits are exercised over actual sockets (loopback only).
// Fed by per-route handlers below; every server is closed in afterAll.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../contracts/errors';
import { parseAllowPrivate } from './address-policy';
import { assertUrlAllowed, downloadToStream } from './url-fetch.repository';

const VIDEO = Buffer.alloc(200_000, 'v');
const loopback = parseAllowPrivate('127.0.0.0/8');
const only2 = parseAllowPrivate('127.0.0.2/32');
const publicOnly = parseAllowPrivate('0');
const limits = { maxBytes: 10_000_000, timeoutMs: 5_000 };

interface TestServer {
  origin: string;
  port: number;
  close: () => Promise<void>;
}

async function serve(host: string, handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let main: TestServer;
let second: TestServer;

const routes: Record<string, http.RequestListener> = {
  '/video.mp4': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO.length });
    res.end(VIDEO);
  },
  '/attachment': (_req, res) => {
    res.writeHead(200, { 'content-disposition': `attachment; filename="a.mp4"; filename*=UTF-8''caf%C3%A9.mp4` });
    res.end('ok');
  },
  '/host': (req, res) => res.end(req.headers.host),
  '/r1': (_req, res) => res.writeHead(302, { location: '/r2' }).end(),
  '/r2': (_req, res) => res.writeHead(301, { location: `${main.origin}/video.mp4` }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/missing': (_req, res) => res.writeHead(404).end('nope'),
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    const chunk = Buffer.alloc(64 * 1024, 'e');
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  },
  '/slow': (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    res.flushHeaders();
    const drip = setInterval(() => res.write('s'), 1000);
    res.once('close', () => clearInterval(drip));
  },
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-length': 50_000_000 });
    res.flushHeaders();
  },
  '/hang': () => {},
  '/cut': (_req, res) => {
    res.writeHead(200, { 'content-length': 1000 });
    res.write('only ten b', () => res.destroy());
  },
};

beforeAll(async () => {
  main = await serve('127.0.0.1', (req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res);
    else res.writeHead(500).end();
  });
  second = await serve('127.0.0.2', (req, res) => {
    if (req.url === '/hop') res.writeHead(302, { location: `http://127.0.0.1:${main.port}/video.mp4` }).end();
    else res.end('from 127.0.0.2');
  });
});

afterAll(async () => {
  await Promise.all([main.close(), second.close()]);
});

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the download to fail');
}

async function download(url: string, opts: Partial<Parameters<typeof downloadToStream>[1]> = {}): Promise<Buffer> {
  const result = await downloadToStream(new URL(url), { policy: loopback, ...limits, ...opts });
  return readAll(result.body);
}

describe('downloadToStream', () => {
  it('returns the whole body with its metadata', async () => {
    const result = await downloadToStream(new URL(`${main.origin}/video.mp4`), { policy: loopback, ...limits });
    expect((await readAll(result.body)).equals(VIDEO)).toBe(true);
    expect(result.contentType).toBe('video/mp4');
    expect(result.contentLength).toBe(VIDEO.length);
    expect(result.fileName).toBe('video.mp4');
    expect(result.finalUrl.href).toBe(`${main.origin}/video.mp4`);
  });

  it('prefers the Content-Disposition file name', async () => {
    const result = await downloadToStream(new URL(`${main.origin}/attachment`), { policy: loopback, ...limits });
    expect(result.fileName).toBe('café.mp4');
    await readAll(result.body);
  });

  it('connects to the vetted address but keeps the URL host in the Host header', async () => {
    const body = await download(`http://localhost:${main.port}/host`, { policy: parseAllowPrivate('1') });
    expect(body.toString()).toBe(`localhost:${main.port}`);
  });

  it('follows a relative then absolute redirect chain', async () => {
    const result = await downloadToStream(new URL(`${main.origin}/r1`), { policy: loopback, ...limits });
    expect((await readAll(result.body)).equals(VIDEO)).toBe(true);
    expect(result.finalUrl.href).toBe(`${main.origin}/video.mp4`);
  });

  it('gives up after five redirects', async () => {
    const error = await failure(download(`${main.origin}/loop`));
    expect(error.code).toBe('url_unreachable');
  });

  it('downloads from an address the policy explicitly allows', async () => {
    expect((await download(`${second.origin}/ok`, { policy: only2 })).toString()).toBe('from 127.0.0.2');
  });

  it('refuses a redirect from an allowed address to a private one', async () => {
    const error = await failure(download(`${second.origin}/hop`, { policy: only2 }));
    expect(error.code).toBe('url_not_allowed');
  });

  it('refuses loopback addresses under the public-only policy', async () => {
    const error = await failure(download(`${main.origin}/video.mp4`, { policy: publicOnly }));
    expect(error.code).toBe('url_not_allowed');
    expect(error.message).toBe('This URL points to a private or local network address, which is not allowed.');
  });

  it('refuses localhost under the public-only policy', async () => {
    const error = await failure(download(`http://localhost:${main.port}/video.mp4`, { policy: publicOnly }));
    expect(error.code).toBe('url_not_allowed');
  });

  it.each(['ftp://127.0.0.1/video.mp4', 'file:///etc/passwd', 'javascript:alert(1)'])('refuses %s', async (url) => {
    const error = await failure(download(url, { policy: parseAllowPrivate('1') }));
    expect(error.code).toBe('url_not_allowed');
  });

  it('refuses a redirect to file:', async () => {
    const error = await failure(download(`${main.origin}/to-file`, { policy: parseAllowPrivate('1') }));
    expect(error.code).toBe('url_not_allowed');
  });

  it('reports a 404 as unreachable with the status', async () => {
    const error = await failure(download(`${main.origin}/missing`));
    expect(error.code).toBe('url_unreachable');
    expect(error.message).toBe('The URL answered HTTP 404.');
    expect(error.extra.status).toBe(404);
  });

  it('reports a refused connection without a stack', async () => {
    const closed = await serve('127.0.0.1', () => {});
    await closed.close();
    const error = await failure(download(`${closed.origin}/`));
    expect(error.code).toBe('url_unreachable');
    expect(error.message).toBe(`The server at 127.0.0.1:${closed.port} refused the connection.`);
  });

  it('reports a connection cut mid-body as unreachable', async () => {
    const error = await failure(download(`${main.origin}/cut`));
    expect(error.code).toBe('url_unreachable');
  });

  it('stops an endless body at maxBytes', async () => {
    const error = await failure(download(`${main.origin}/endless`, { maxBytes: 1_000_000 }));
    expect(error.code).toBe('payload_too_large');
  });

  it('refuses a too-large Content-Length before reading', async () => {
    const started = Date.now();
    const error = await failure(downloadToStream(new URL(`${main.origin}/huge`), { policy: loopback, ...limits }));
    expect(error.code).toBe('payload_too_large');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops a slow-loris body at the deadline', async () => {
    const started = Date.now();
    const error = await failure(download(`${main.origin}/slow`, { timeoutMs: 1500 }));
    expect(error.code).toBe('download_timeout');
    expect(error.message).toBe('The download took longer than 1.5 s.');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('times out a server that never answers', async () => {
    const started = Date.now();
    const error = await failure(download(`${main.origin}/hang`, { timeoutMs: 500 }));
    expect(error.code).toBe('download_timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    setTimeout(() => controller.abort(reason), 300);
    await expect(download(`${main.origin}/slow`, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('assertUrlAllowed', () => {
  it.each([
    ['http://127.0.0.1/', publicOnly, 'url_not_allowed'],
    ['http://localhost/', publicOnly, 'url_not_allowed'],
    ['http://app.localhost/', publicOnly, 'url_not_allowed'],
    ['http://[::1]/', publicOnly, 'url_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', publicOnly, 'url_not_allowed'],
    ['http://169.254.169.254/latest/meta-data/', publicOnly, 'url_not_allowed'],
    ['http://127.0.0.1/', only2, 'url_not_allowed'],
    ['http://no-such-host.invalid/', publicOnly, 'url_unreachable'],
  ])('%s is refused with %s', async (url, policy, code) => {
    expect((await failure(assertUrlAllowed(new URL(url), policy))).code).toBe(code);
  });

  it.each([
    ['http://127.0.0.2/', only2],
    ['http://8.8.8.8/', publicOnly],
    ['http://localhost/', parseAllowPrivate('1')],
  ])('%s is allowed', async (url, policy) => {
    await expect(assertUrlAllowed(new URL(url), policy)).resolves.toBeUndefined();
  });
});
