// API-key authentication of every REST endpoint (missing/bogus keys → 401, Bearer and X-API-Key both
// accepted), account isolation (another account's video is a 404, never a 403) and the public OpenAPI document.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, httpFetch, ingestFile, read, stopAll, type AccountJson, type Client } from './helpers';

let server: TestServer;
let keyA: string;
let keyB: string;
let apiA: Client;
let apiB: Client;
let videoId: string;

beforeAll(async () => {
  server = await startTestServer();
  [keyA, keyB] = await Promise.all([server.createKey('alice@example.com'), server.createKey('bob@example.com')]);
  apiA = client(server, keyA);
  apiB = client(server, keyB);
  const ingested = await ingestFile(apiA, makeClip('auth-2s.mp4', 2, { size: '64x64', rate: 5 }));
  expect(ingested.step.status).toBe('completed');
  videoId = ingested.videoId;
  const outputs = path.join(server.dataDir, 'videos', videoId, 'outputs');
  fs.mkdirSync(outputs, { recursive: true });
  fs.copyFileSync(makeClip('auth-out.mp4', 1, { size: '64x64', rate: 5 }), path.join(outputs, 'reframe.mp4'));
});

afterAll(async () => {
  await stopAll(server);
});

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: () => string;
  body?: () => unknown;
}

const endpoints: Endpoint[] = [
  { name: 'ingest', method: 'POST', path: () => '/api/v2/ingest', body: () => ({ url: 'https://example.com/a.mp4' }) },
  { name: 'analyze', method: 'POST', path: () => '/api/v2/analyze', body: () => ({ video_id: videoId, model_type: 'scene_detection' }) },
  { name: 'transform', method: 'POST', path: () => '/api/v2/transform', body: () => ({ video_id: videoId, transform_type: 'reframe' }) },
  { name: 'status', method: 'GET', path: () => `/api/v2/status/${videoId}` },
  { name: 'videos', method: 'GET', path: () => '/api/v2/videos' },
  { name: 'videos/{id}', method: 'GET', path: () => `/api/v2/videos/${videoId}` },
  { name: 'results', method: 'GET', path: () => `/api/v2/videos/${videoId}/results/scene_detection` },
  { name: 'account', method: 'GET', path: () => '/api/v2/account' },
  { name: 'download', method: 'GET', path: () => `/api/v2/download/${videoId}` },
  { name: 'reframe', method: 'POST', path: () => '/api/v2/reframe', body: () => ({ url: 'https://example.com/a.mp4' }) },
  { name: 'reframe/{job_id}', method: 'GET', path: () => '/api/v2/reframe/job_x' },
  { name: 'webhook-secret', method: 'GET', path: () => '/api/v2/account/webhook-secret' },
  { name: 'webhook-secret rotate', method: 'POST', path: () => '/api/v2/account/webhook-secret' },
];

function call(e: Endpoint, headers: Record<string, string>) {
  const body = e.body?.();
  return httpFetch(`${server.url}${e.path()}`, {
    method: e.method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => read(r));
}

const names = endpoints.map((e) => [e.name, e] as const);

describe('missing or invalid keys', () => {
  it.each(names)('%s without a key → 401 unauthorized', async (_n, e) => {
    const res = await call(e, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: { code: 'unauthorized', message: 'Send an API key: Authorization: Bearer sk-… or X-API-Key: sk-…' },
    });
  });

  it.each(names)('%s with a bogus key → 401 unauthorized', async (_n, e) => {
    const variants: Record<string, string>[] = [
      { authorization: 'Bearer sk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, // well-formed, unknown
      { authorization: 'Bearer not-a-key' },
      { 'x-api-key': `${keyA}x` },
    ];
    for (const headers of variants) {
      const res = await call(e, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'The API key is not valid.' } });
    }
  });

  it('treats a non-Bearer Authorization scheme as no key', async () => {
    const res = await read(await httpFetch(`${server.url}/api/v2/account`, { headers: { authorization: `Basic ${keyA}` } }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('charged nothing and created no video for unauthenticated calls', async () => {
    const a = await apiA.get<AccountJson>('/api/v2/account');
    expect(a.body.balance).toBe(300);
    expect(a.body.ledger.map((e) => e.reason)).toEqual(['signup_grant']);
    const list = await apiA.get('/api/v2/videos');
    expect(list.body.videos.map((v: { video_id: string }) => v.video_id)).toEqual([videoId]);
  });
});

describe('a key revoked through the dashboard (tRPC keys.revoke)', () => {
  let revoked: string;
  let kept: string;

  /** Calls a tRPC procedure (no transformer: the body is the input) with the session cookie. */
  async function trpc(proc: string, input: unknown, cookie = '') {
    const res = await httpFetch(`${server.url}/api/trpc/${proc}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(input),
    });
    const body = await res.json();
    expect(res.status, `${proc}: ${JSON.stringify(body)}`).toBe(200);
    return { data: body.result.data, setCookie: res.headers.get('set-cookie') ?? '' };
  }

  beforeAll(async () => {
    const signUp = await trpc('auth.signUp', { email: 'carol@example.com', password: 'correct horse battery' });
    const cookie = signUp.setCookie.split(';')[0]!;
    expect(cookie).toMatch(/=.+/);
    const first = await trpc('keys.create', { name: 'to revoke' }, cookie);
    const second = await trpc('keys.create', { name: 'to keep' }, cookie);
    revoked = first.data.secret;
    kept = second.data.secret;
    expect((await client(server, revoked).get('/api/v2/account')).status).toBe(200);
    await trpc('keys.revoke', { id: first.data.key.id }, cookie);
  });

  it.each(names)('%s with the revoked key → 401 unauthorized', async (_n, e) => {
    for (const headers of [{ authorization: `Bearer ${revoked}` }, { 'x-api-key': revoked }] as Record<string, string>[]) {
      const res = await call(e, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'The API key has been revoked.' } });
    }
  });

  it("leaves the account's other key working", async () => {
    const res = await client(server, kept).get('/api/v2/account');
    expect(res.status).toBe(200);
    expect(res.body.email).toBe('carol@example.com');
  });
});

describe('valid keys', () => {
  it.each([
    ['Authorization: Bearer', (k: string) => ({ authorization: `Bearer ${k}` })],
    ['Authorization: bearer (any case)', (k: string) => ({ authorization: `bearer ${k}` })],
    ['X-API-Key', (k: string) => ({ 'x-api-key': k })],
  ])('%s authenticates', async (_n, headers) => {
    const account = await read(await httpFetch(`${server.url}/api/v2/account`, { headers: headers(keyA) }));
    expect(account.status).toBe(200);
    expect(account.body.email).toBe('alice@example.com');
    const video = await read(await httpFetch(`${server.url}/api/v2/videos/${videoId}`, { headers: headers(keyA) }));
    expect(video.status).toBe(200);
    const head = await httpFetch(`${server.url}/api/v2/download/${videoId}`, { method: 'HEAD', headers: headers(keyB) });
    expect(head.status).toBe(404);
  });

  it('a second key of the same account sees the same account', async () => {
    const second = await server.createKey('alice@example.com');
    expect(second).not.toBe(keyA);
    const res = await client(server, second).get(`/api/v2/videos/${videoId}`);
    expect(res.status).toBe(200);
  });
});

describe("another account's video", () => {
  const notFound = { error: { code: 'not_found', message: 'No video with this id.' } };

  it('is 404 on status, videos/{id}, results, analyze, transform and download', async () => {
    expect(await apiB.get(`/api/v2/status/${videoId}`)).toMatchObject({ status: 404, body: notFound });
    expect(await apiB.get(`/api/v2/videos/${videoId}`)).toMatchObject({ status: 404, body: notFound });
    expect(await apiB.get(`/api/v2/videos/${videoId}/results/scene_detection`)).toMatchObject({ status: 404, body: notFound });
    expect(await apiB.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' })).toMatchObject({
      status: 404,
      body: notFound,
    });
    expect(await apiB.postJson('/api/v2/transform', { video_id: videoId, transform_type: 'reframe' })).toMatchObject({
      status: 404,
      body: notFound,
    });
    expect(await apiB.get(`/api/v2/download/${videoId}`)).toMatchObject({ status: 404, body: notFound });
    expect(await apiB.get(`/api/v2/download/${videoId}?suffix=_reframe_path`)).toMatchObject({ status: 404 });
  });

  it('is absent from the other account’s list, and nobody was charged', async () => {
    const list = await apiB.get('/api/v2/videos');
    expect(list.body).toEqual({ videos: [], next_cursor: null });
    for (const api of [apiA, apiB]) {
      const account = await api.get<AccountJson>('/api/v2/account');
      expect(account.body.balance).toBe(300);
      expect(account.body.ledger).toHaveLength(1);
    }
  });

  it('is still there for its owner (the 404s were not about a missing file)', async () => {
    expect((await apiA.get(`/api/v2/status/${videoId}`)).status).toBe(200);
    const dl = await httpFetch(`${server.url}/api/v2/download/${videoId}`, { headers: { 'x-api-key': keyA } });
    expect(dl.status).toBe(200);
    await dl.arrayBuffer();
  });
});

describe('OpenAPI document', () => {
  it('is public and lists every path of the API', async () => {
    for (const headers of [{}, { authorization: 'Bearer sk-bogus' }] as Record<string, string>[]) {
      const res = await read(await httpFetch(`${server.url}/api/v2/openapi.json`, { headers }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.openapi).toBe('3.1.0');
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      const methods = Object.fromEntries(Object.entries(paths).map(([p, ops]) => [p, Object.keys(ops).sort()]));
      expect(methods).toEqual({
        '/api/v2/ingest': ['post'],
        '/api/v2/analyze': ['post'],
        '/api/v2/transform': ['post'],
        '/api/v2/reframe': ['post'],
        '/api/v2/reframe/{job_id}': ['get'],
        '/api/v2/account/webhook-secret': ['get', 'post'],
        '/api/v2/status/{video_id}': ['get'],
        '/api/v2/videos': ['get'],
        '/api/v2/videos/{video_id}': ['get'],
        '/api/v2/videos/{video_id}/results/{model_type}': ['get'],
        '/api/v2/download/{video_id}': ['get'],
        '/api/v2/account': ['get'],
        '/api/v2/openapi.json': ['get'],
      });
      expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['apiKey', 'bearer']);
      // Every $ref points at a schema the document defines.
      const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) expect(res.body.components.schemas[r], r).toBeDefined();
    }
  });
});
