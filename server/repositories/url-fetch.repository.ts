// Downloads a user-supplied video URL without letting it reach private networks (SSRF) or run forever.
// Fed by a normalised URL, the address policy and size/time limits; returns the response body as a
// stream that errors with an AppError once a limit is crossed, plus the metadata storage wants.
import dns from 'node:dns';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '../contracts/errors';
import { type AddressPolicy, isAddressAllowed, normalizeVideoUrl } from './address-policy';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// A server that goes silent this long is treated like a timeout even when the overall deadline is far off.
const IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_USER_AGENT = 'reframe-service/0.1 (+video download)';

type Vetted = [dns.LookupAddress, ...dns.LookupAddress[]];

export interface DownloadOptions {
  policy: AddressPolicy;
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  userAgent?: string;
}

export interface Download {
  body: Readable;
  contentType: string | null;
  contentLength: number | null;
  finalUrl: URL;
  fileName: string | null;
}

export async function assertUrlAllowed(url: URL, policy: AddressPolicy): Promise<void> {
  // Callers may hand over a URL object that never went through normalizeVideoUrl (ftp:, file:, …).
  await vetHost(normalizeVideoUrl(url.href), policy);
}

// Returns every address the host resolves to, all of them checked: connecting only to these is
// what stops a DNS answer that changes between check and connect (rebinding) from getting through.
async function vetHost(url: URL, policy: AddressPolicy): Promise<Vetted> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolve(host);
  if (addresses.some((entry) => !isAddressAllowed(entry.address, policy))) {
    throw new AppError('url_not_allowed', 'This URL points to a private or local network address, which is not allowed.');
  }
  return addresses;
}

async function resolve(host: string): Promise<Vetted> {
  const family = net.isIP(host);
  if (family !== 0) return [{ address: host, family }];
  // RFC 6761: localhost names are loopback by definition, whatever a DNS server might answer.
  if (/(^|\.)localhost\.?$/i.test(host)) {
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  }
  try {
    const [first, ...rest] = await dns.promises.lookup(host, { all: true });
    if (first) return [first, ...rest];
  } catch {
    // Every resolver failure means the same thing to the user.
  }
  throw new AppError('url_unreachable', `The host ${host} could not be resolved.`);
}

function pinnedLookup(addresses: Vetted): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

export async function downloadToStream(url: URL, opts: DownloadOptions): Promise<Download> {
  opts.signal?.throwIfAborted();
  // One controller carries every reason to stop (deadline, stall, caller abort) to whatever is in flight.
  const stop = new AbortController();
  let request: ClientRequest | undefined;
  let body: Transform | undefined;
  const timeoutError = (): AppError => new AppError('download_timeout', `The download took longer than ${seconds(opts.timeoutMs)} s.`);
  const deadline = setTimeout(() => stop.abort(timeoutError()), opts.timeoutMs);
  const idleMs = Math.min(opts.timeoutMs, IDLE_TIMEOUT_MS);
  let idle: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => stop.abort(timeoutError()), idleMs);
  };
  const onCallerAbort = (): void => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  stop.signal.addEventListener('abort', () => {
    body?.destroy(stop.signal.reason);
    request?.destroy(stop.signal.reason);
  });
  const cleanUp = (): void => {
    clearTimeout(deadline);
    clearTimeout(idle);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  };

  try {
    let current = normalizeVideoUrl(url.href);
    for (let redirects = 0; ; redirects++) {
      const addresses = await untilAborted(vetHost(current, opts.policy), stop.signal);
      armIdle();
      request = get(current, addresses, opts.userAgent ?? DEFAULT_USER_AGENT);
      const response = await responseOf(request, current, stop.signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= MAX_REDIRECTS) {
          throw new AppError('url_unreachable', `The URL redirected more than ${MAX_REDIRECTS} times.`);
        }
        current = redirectTarget(location, current);
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new AppError('url_unreachable', `The URL answered HTTP ${status}.`, { status });
      }
      const contentLength = parseLength(response.headers['content-length']);
      if (contentLength !== null && contentLength > opts.maxBytes) {
        response.destroy();
        throw tooLarge(opts.maxBytes);
      }
      body = limitBody(response, opts.maxBytes, armIdle, current, stop.signal);
      body.once('close', cleanUp);
      return {
        body,
        contentType: response.headers['content-type'] ?? null,
        contentLength,
        finalUrl: current,
        fileName: fileNameOf(response.headers['content-disposition'], current),
      };
    }
  } catch (error) {
    cleanUp();
    request?.destroy();
    throw error;
  }
}

function get(url: URL, addresses: Vetted, userAgent: string): ClientRequest {
  const client = url.protocol === 'https:' ? https : http;
  // The URL keeps its hostname, so Host and TLS SNI stay right while the socket goes to the vetted
  // address; no shared agent, so no pooled socket from another lookup is ever reused.
  const request = client.request(url, {
    agent: false,
    lookup: pinnedLookup(addresses),
    headers: { 'user-agent': userAgent, accept: '*/*' },
  });
  request.end();
  return request;
}

function responseOf(request: ClientRequest, url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolveResponse, reject) => {
    request.once('response', resolveResponse);
    request.once('error', (error) => reject(signal.aborted ? signal.reason : connectionError(url, error)));
  });
}

function limitBody(response: IncomingMessage, maxBytes: number, onProgress: () => void, url: URL, signal: AbortSignal): Transform {
  let received = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) return callback(tooLarge(maxBytes));
      onProgress();
      callback(null, chunk);
    },
  });
  response.once('error', (error) => body.destroy(signal.aborted ? signal.reason : connectionError(url, error)));
  // Whoever ends the body first (limit, consumer, deadline) also frees the socket.
  body.once('close', () => response.destroy());
  response.pipe(body);
  return body;
}

function redirectTarget(location: string, from: URL): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new AppError('url_unreachable', 'The URL sent an invalid redirect.');
  }
  // Same gate as the user's own input: a redirect must not smuggle in file:, credentials, etc.
  return normalizeVideoUrl(target.href);
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolvePromise, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function connectionError(url: URL, error: NodeJS.ErrnoException): AppError {
  const host = url.host;
  const code = error.code ?? 'unknown';
  const message =
    code === 'ECONNREFUSED'
      ? `The server at ${host} refused the connection.`
      : code === 'ECONNRESET'
        ? `The connection to ${host} was closed unexpectedly.`
        : /CERT|SSL|TLS|VERIFY/.test(code)
          ? `The server at ${host} presented an invalid TLS certificate.`
          : `Could not download from ${host}.`;
  return new AppError('url_unreachable', message, { cause: code });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes.`, {
    maxBytes,
  });
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function parseLength(header: string | undefined): number | null {
  if (header === undefined || !/^\d+$/.test(header)) return null;
  return Number(header);
}

function fileNameOf(disposition: string | undefined, url: URL): string | null {
  const fromHeader = disposition === undefined ? null : dispositionFileName(disposition);
  const candidate = fromHeader ?? safeDecode(url.pathname.split('/').pop() ?? '');
  // Only the base name: a header could carry a path meant to escape the storage directory.
  const base = candidate.split(/[/\\]/).pop()?.trim() ?? '';
  return base === '' || base === '.' || base === '..' ? null : base;
}

function dispositionFileName(disposition: string): string | null {
  // RFC 6266: the extended filename* (percent-encoded UTF-8) wins over the plain one.
  const extended = /filename\*\s*=\s*[\w-]+'[^']*'([^;]+)/i.exec(disposition)?.[1];
  if (extended !== undefined) return safeDecode(extended.trim());
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(disposition);
  const quoted = plain?.[1];
  if (quoted !== undefined) return quoted.replace(/\\(.)/g, '$1');
  return plain?.[2]?.trim() ?? null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
