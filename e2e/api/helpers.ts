// Shared helpers of the REST integration tests: a small API client (node:http, fresh connections), local servers
// (clip, redirect, trickle, 404) for URL ingest, and polling of a video's steps.
/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are loosely typed JSON in these tests */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Reads a response fully; `body` is the parsed JSON when the body is JSON, else null. */
export async function read<T = any>(res: Response): Promise<ApiResponse<T>> {
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export interface RequestInitLite {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * fetch() over node:http on a fresh connection each time (agent: false), buffered into a Response.
 * Undici's pooled keep-alive sockets can be closed by the server's keepAliveTimeout just as a request
 * is written on them (EPIPE), which made big uploads flaky on a busy machine. A server that answers
 * before reading the whole body (413) is fine too: the response counts, a later write error does not.
 */
export function httpFetch(url: string, init: RequestInitLite = {}): Promise<Response> {
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: init.method ?? 'GET',
      agent: false,
      headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
        }
        const status = res.statusCode ?? 0;
        const data = Buffer.concat(chunks);
        const nullBody = status === 204 || status === 304 || data.length === 0;
        resolve(new Response(nullBody ? null : new Uint8Array(data), { status, headers }));
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

/** A multipart/form-data body with one file field. */
export function multipart(field: string, name: string, type: string, data: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----reframe-test-${Math.random().toString(36).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${name}"\r\ncontent-type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export function client(server: { url: string }, key: string | null) {
  const auth = (headers: Record<string, string> = {}): Record<string, string> =>
    key ? { authorization: `Bearer ${key}`, ...headers } : headers;
  const send = <T>(p: string, init: RequestInitLite) =>
    httpFetch(`${server.url}${p}`, { ...init, headers: auth(init.headers) }).then((r) => read<T>(r));
  return {
    get: <T = any>(p: string, headers: Record<string, string> = {}) => send<T>(p, { headers }),
    postJson: <T = any>(p: string, body: unknown) =>
      send<T>(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    postRaw: <T = any>(p: string, body: string, contentType: string) =>
      send<T>(p, { method: 'POST', headers: { 'content-type': contentType }, body }),
    /** POST /api/v2/ingest as multipart with `data` in the field `field` (default `file`). */
    upload: <T = any>(data: Buffer, name = 'clip.mp4', field = 'file', type = 'video/mp4') => {
      const form = multipart(field, name, type, data);
      return send<T>('/api/v2/ingest', { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body });
    },
    ingestUrl: <T = any>(url: string) =>
      send<T>('/api/v2/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) }),
  };
}
export type Client = ReturnType<typeof client>;

export interface StepJson {
  step: string;
  status: string;
  progress: number;
  error?: { code: string; message: string };
  result_url?: string;
  attempts: number;
  created_at: string;
  started_at?: string;
  finished_at?: string;
}

/** Polls GET /status until `predicate` holds for the latest step of `kind`; returns that step. */
export async function waitUntil(
  api: Client,
  videoId: string,
  predicate: (step: StepJson | undefined) => boolean,
  kind = 'ingest',
  timeoutMs = 30_000,
): Promise<StepJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get<{ steps: StepJson[] }>(`/api/v2/status/${videoId}`);
    const step = res.body?.steps?.filter((s) => s.step === kind).at(-1);
    if (predicate(step)) return step!;
    if (Date.now() > deadline) throw new Error(`step ${kind} of ${videoId} never matched: HTTP ${res.status} ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const finished = (s: StepJson | undefined) => s?.status === 'completed' || s?.status === 'failed';

/** Uploads a file and waits for its ingest step to finish; returns the video id and the step. */
export async function ingestFile(api: Client, file: string) {
  const res = await api.upload(fs.readFileSync(file), path.basename(file));
  expect(res.status, res.text).toBe(202);
  const videoId = (res.body as { video_id: string }).video_id;
  const step = await waitUntil(api, videoId, finished);
  return { videoId, step };
}

export interface LocalServer {
  origin: string;
  port: number;
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on `host` (127.0.0.1 unless told) answering with `handler`. */
export async function localServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<LocalServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendFile(res: http.ServerResponse, data: Buffer, type = 'video/mp4'): void {
  res.writeHead(200, { 'content-type': type, 'content-length': data.length });
  res.end(data);
}

/** Sends `data` in ~20 chunks spread over `ms` milliseconds, with its Content-Length up front. */
export function trickle(res: http.ServerResponse, data: Buffer, ms: number): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': data.length });
  const parts = 20;
  const size = Math.ceil(data.length / parts);
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return void clearInterval(timer);
    const chunk = data.subarray(i * size, (i + 1) * size);
    i++;
    if (i >= parts || chunk.length === 0) {
      clearInterval(timer);
      res.end(chunk);
    } else {
      res.write(chunk);
    }
  }, ms / parts);
  res.on('close', () => clearInterval(timer));
}

/** Every file under `dir`, relative to it (empty when `dir` does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

export interface AccountJson {
  email: string;
  balance: number;
  ledger: { id: string; amount: number; reason: string; video_id: string | null; seconds: number | null; created_at: string }[];
}

/** Stops test servers and removes their data folders (each folder once, after every server on it stopped). */
export async function stopAll(...servers: ({ stop(): Promise<void>; dataDir: string } | undefined)[]): Promise<void> {
  const live = servers.filter((s): s is { stop(): Promise<void>; dataDir: string } => !!s);
  await Promise.all(live.map((s) => s.stop()));
  for (const dir of new Set(live.map((s) => s.dataDir))) fs.rmSync(dir, { recursive: true, force: true });
}
