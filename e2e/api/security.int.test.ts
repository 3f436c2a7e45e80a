// Hostile requests against the real server: path traversal in ids, model types and suffixes (404,
// nothing served), oversized and pathological JSON bodies (413/400/422, the server stays up), error
// bodies without stack traces, paths or secrets (a real 500 included), and a server log that never
// contains an API key or a password, whatever the client sends.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../support/media';
import { startTestServer, type TestServer } from '../support/test-server';
import { client, httpFetch, ingestFile, read, stopAll, waitUntil, finished, type ApiResponse, type Client } from './helpers';

const PASSWORD = 'Tr0ub4dor&3-never-in-logs';

let server: TestServer;
let key: string;
let api: Client;
let videoId: string;
/** Every error answer this file received, checked for leaks at the end. */
const errorAnswers: ApiResponse[] = [];

beforeAll(async () => {
  server = await startTestServer();
  key = await server.createKey('security@example.com');
  api = client(server, key);
  const ingested = await ingestFile(api, makeClip('sec-1s.mp4', 1, { size: '64x64', rate: 5 }));
  expect(ingested.step.status).toBe('completed');
  videoId = ingested.videoId;
});

afterAll(async () => {
  await stopAll(server);
});

async function expectError(res: ApiResponse, status: number, code: string) {
  errorAnswers.push(res);
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.body?.error?.code, res.text).toBe(code);
}

describe('path traversal', () => {
  it.each(['..%2F..%2Fapp.db', '..%2F..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fapp.db', 'vid_x%00.json'])(
    'treats the video id %s as unknown on status, videos, results and analyze',
    async (id) => {
      await expectError(await api.get(`/api/v2/status/${id}`), 404, 'not_found');
      await expectError(await api.get(`/api/v2/videos/${id}`), 404, 'not_found');
      await expectError(await api.get(`/api/v2/videos/${id}/results/scene_detection`), 404, 'not_found');
      await expectError(
        await api.postJson('/api/v2/analyze', { video_id: decodeURIComponent(id), model_type: 'scene_detection' }),
        404,
        'not_found',
      );
      await expectError(await api.get(`/api/v2/download/${id}?suffix=_reframe_path`), 404, 'not_found');
    },
  );

  it.each(['..%2F..%2F..%2Fapp', '..%2Fsource', '%2e%2e%2fthumbnail', 'scene_detection%00'])(
    'treats the model type %s as unknown, without reading a file',
    async (model) => {
      const res = await api.get(`/api/v2/videos/${videoId}/results/${model}`);
      await expectError(res, 404, 'not_found');
      expect(res.text).not.toContain('SQLite');
    },
  );

  it('serves nothing outside the video folder through a suffix, even with a file planted where one would land', async () => {
    fs.writeFileSync(path.join(server.dataDir, 'videos', videoId, 'secret.txt'), 'planted');
    for (const suffix of ['/../secret.txt', '%2F..%2Fsecret', '_reframe%2F..%2F..%2Fsecret.txt', '..\\..\\app.db']) {
      const res = await read(
        await httpFetch(`${server.url}/api/v2/download/${videoId}?suffix=${suffix}`, { headers: { 'x-api-key': key } }),
      );
      await expectError(res, 404, 'not_found');
      expect(res.text).not.toContain('planted');
    }
  });

  it("refuses a traversal in the dashboard's media paths", async () => {
    for (const p of [
      `/media/${videoId}/..%2F..%2Fapp.db`,
      '/media/..%2F..%2Fapp.db/source',
      `/media/${videoId}/source%2F..%2Fsecret.txt`,
    ]) {
      const res = await read(await httpFetch(`${server.url}${p}`));
      expect([401, 404], `${p}: ${res.status}`).toContain(res.status);
      expect(res.text).not.toContain('planted');
      expect(res.text).not.toContain('SQLite');
    }
  });
});

describe('request bodies', () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    httpFetch(`${server.url}/api/v2/analyze`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    }).then((r) => read(r));

  it('answers 413 for a JSON body over 1 MiB, declared or not', async () => {
    const big = JSON.stringify({ video_id: videoId, model_type: 'scene_detection', parameters: { pad: 'x'.repeat(1_100_000) } });
    await expectError(await post(big), 413, 'payload_too_large');
    // Chunked, without Content-Length: the limit holds while streaming.
    const chunked = await new Promise<ApiResponse>((resolve, reject) => {
      import('node:http').then(({ default: http }) => {
        const req = http.request(`${server.url}/api/v2/analyze`, {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({
              status: res.statusCode ?? 0,
              headers: new Headers(res.headers as Record<string, string>),
              body: JSON.parse(text),
              text,
            });
          });
        });
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write('['.repeat(100_000));
        req.end();
      }, reject);
    });
    await expectError(chunked, 413, 'payload_too_large');
  });

  it('answers 400 for 1 MiB of nested arrays (a JSON bomb) and stays up', async () => {
    const started = Date.now();
    const res = await post('['.repeat(1_000_000) + ']'.repeat(40_000));
    await expectError(res, 400, 'invalid_json');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await api.get('/api/v2/account')).status).toBe(200);
  });

  it('parses a deeply nested document and one with 60 000 keys quickly, validates them (422) and stays up', async () => {
    // Unknown parameters are ignored, a wrong known one is refused: the refusal proves the whole body was parsed.
    const depth = 300_000;
    const nested = `{"video_id":"${videoId}","model_type":"scene_detection","parameters":{"threshold":"high","a":${'{"a":'.repeat(depth / 2)}1${'}'.repeat(depth / 2)}}}`;
    expect(nested.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const deep = await post(nested);
    await expectError(deep, 422, 'validation_error');
    expect(deep.body.error.message).toMatch(/^threshold: /);
    const wide = JSON.stringify({
      video_id: videoId,
      model_type: 'scene_detection',
      parameters: { threshold: 'high', ...Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])) },
    });
    expect(wide.length).toBeLessThan(1024 * 1024);
    await expectError(await post(wide), 422, 'validation_error');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await api.get('/api/v2/account')).status).toBe(200);
    expect((await api.get(`/api/v2/status/${videoId}`)).body.steps.map((s: { step: string }) => s.step)).toEqual(['ingest']);
  });

  it('answers 400 for a body that is not UTF-8 JSON, and for a top-level value of the wrong kind 422', async () => {
    await expectError(await post(Buffer.from([0xff, 0xfe, 0x00, 0x7b])), 400, 'invalid_json');
    await expectError(await post('"just a string"'), 422, 'validation_error');
    await expectError(await post('null'), 422, 'validation_error');
  });

  it('answers 400 for a multipart upload that is cut off, and keeps nothing', async () => {
    const boundary = '----cut';
    const body = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.mp4"\r\ncontent-type: video/mp4\r\n\r\n${'x'.repeat(5000)}`;
    const before = fs.readdirSync(path.join(server.dataDir, 'videos')).length;
    const res = await read(
      await httpFetch(`${server.url}/api/v2/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      }),
    );
    await expectError(res, 422, 'validation_error');
    expect(fs.readdirSync(path.join(server.dataDir, 'videos')).length).toBe(before);
  });
});

describe('an unexpected failure', () => {
  it('is a 500 with a request id and no detail, and the detail is in the server log under that id', { timeout: 60_000 }, async () => {
    expect((await api.postJson('/api/v2/analyze', { video_id: videoId, model_type: 'scene_detection' })).status).toBe(202);
    expect((await waitUntil(api, videoId, finished, 'analyze:scene_detection', 50_000)).status).toBe('completed');
    // A result file damaged on disk: the service cannot parse what it stored itself.
    fs.writeFileSync(path.join(server.dataDir, 'videos', videoId, 'results', 'scene_detection.json'), '{"scenes": [ broken');
    const res = await api.get(`/api/v2/videos/${videoId}/results/scene_detection`);
    await expectError(res, 500, 'internal_error');
    const requestId: string = res.body.error.request_id;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(res.body).toEqual({
      error: {
        code: 'internal_error',
        message: `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
        request_id: requestId,
      },
    });
    await expect.poll(() => server.output()).toContain(`[${requestId}] unexpected error`);
  });
});

describe('secrets', () => {
  it('never logs an API key or a password, whatever goes wrong', async () => {
    const trpc = (proc: string, input: unknown, cookie = '') =>
      httpFetch(`${server.url}/api/trpc/${proc}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(input),
      });
    const email = 'logs@example.com';
    const signUp = await trpc('auth.signUp', { email, password: PASSWORD });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.get('set-cookie')!.split(';')[0]!;
    errorAnswers.push(await read(await trpc('auth.signIn', { email, password: `${PASSWORD}-wrong` })));
    errorAnswers.push(await read(await trpc('auth.signIn', { email: 'nobody@example.com', password: PASSWORD })));
    errorAnswers.push(await read(await trpc('auth.signUp', { email, password: PASSWORD })));
    errorAnswers.push(await read(await trpc('auth.signUp', { email: 'short@example.com', password: 'short' })));
    const created = await read(await trpc('keys.create', { name: 'logged?' }, cookie));
    const secret: string = created.body.result.data.secret;
    await trpc('keys.revoke', { id: created.body.result.data.key.id }, cookie);
    const revoked = client(server, secret);
    await expectError(await revoked.get('/api/v2/account'), 401, 'unauthorized');
    await expectError(await revoked.get(`/api/v2/download/${videoId}`), 401, 'unauthorized');
    await expectError(await client(server, `${key}x`).get('/api/v2/account'), 401, 'unauthorized');
    // A key in the wrong place (the query string, a malformed header) must not end up in the log either.
    errorAnswers.push(await read(await httpFetch(`${server.url}/api/v2/account?api_key=${key}`)));
    errorAnswers.push(await read(await httpFetch(`${server.url}/api/v2/account`, { headers: { authorization: `Token ${key}` } })));
    await api.get('/api/v2/account');

    await new Promise((r) => setTimeout(r, 500));
    const log = server.output();
    expect(log.length).toBeGreaterThan(0);
    for (const s of [key, secret, PASSWORD, key.slice(3, 20), secret.slice(3, 20)]) expect(log).not.toContain(s);
  });

  it('put no stack trace, file path, SQL or secret in any error answer of this file', () => {
    expect(errorAnswers.length).toBeGreaterThan(30);
    for (const res of errorAnswers) {
      for (const leak of [/\n\s+at /, /node_modules/, /\.(ts|js):\d+/, /prisma/i, /SELECT |INSERT /, /"stack"/, PASSWORD, key]) {
        expect(res.text, res.text).not.toMatch(leak);
      }
      expect(res.text).not.toContain(server.dataDir);
    }
  });
});
