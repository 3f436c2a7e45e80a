// Integration tests for the chat-completions client against a real HTTP server on 127.0.0.1 that
// speaks the OpenAI protocol: each test scripts the server's replies (good, invalid, 5xx, 401, hanging)
// and checks the retries, timeouts and error messages over actual sockets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSubjectPrompt, parseSubjectAnswer, type UncertainSegment } from '../../workers/analysis/llm-subject-prompt';
import { chatJson, LlmError, llmConfigFromEnv, type ChatJsonOptions } from './llm-client.repository';

const API_KEY = 'sk-test-0123456789abcdefSECRET';

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
type Reply = (res: http.ServerResponse) => void;

let server: http.Server;
let baseUrl: string;
let received: Received[] = [];
let script: Reply[] = [];

const completion = (content: string | null, finish_reason = 'stop'): Reply =>
  json(200, {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason }],
  });

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (res) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const hang: Reply = () => undefined;

const uncertain: UncertainSegment[] = [{ start: 5, end: 15, candidates: [1, 2], reason: 'low score margin' }];
const goodAnswer = JSON.stringify({ segments: [{ start: 5, end: 15, face_id: 2, reason: 'the guest answers' }] });
const messages = buildSubjectPrompt({
  uncertain,
  faces: { model: 'face_tracking_yolov8', video_fps: 25, total_frames: 500, sample_fps: 5, track_count: 0, tracks: [] },
  source: { width: 1920, height: 1080 },
}).messages;

function options(overrides: Partial<ChatJsonOptions<unknown>> = {}): ChatJsonOptions<ReturnType<typeof parseSubjectAnswer>> {
  return {
    baseUrl,
    apiKey: API_KEY,
    model: 'test-model',
    messages,
    parse: (content) => parseSubjectAnswer(content, uncertain),
    timeoutMs: 5_000,
    maxAttempts: 3,
    retryDelayMs: 10,
    ...overrides,
  } as ChatJsonOptions<ReturnType<typeof parseSubjectAnswer>>;
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      (script.shift() ?? completion(goodAnswer))(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

beforeEach(() => {
  received = [];
  script = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('chatJson', () => {
  it('posts the model, the messages and the bearer key, and returns the parsed answer', async () => {
    script = [completion(goodAnswer)];
    await expect(chatJson(options())).resolves.toEqual([{ start: 5, end: 15, face_id: 2, reason: 'the guest answers' }]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({ model: 'test-model', messages, temperature: 0, response_format: { type: 'json_object' } });
  });

  it('sends no Authorization header without a key, and tolerates a trailing slash in the base URL', async () => {
    await chatJson(options({ apiKey: undefined, baseUrl: `${baseUrl}/` }));
    expect(received[0]!.url).toBe('/v1/chat/completions');
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('asks again after an answer that is not valid JSON', async () => {
    script = [completion('Sure! I would frame the guest.'), completion(goodAnswer)];
    await expect(chatJson(options())).resolves.toHaveLength(1);
    expect(received).toHaveLength(2);
  });

  it('asks again after a cut-off or empty reply', async () => {
    script = [completion('{"segments":[{"start":5', 'length'), completion(null), completion(goodAnswer)];
    await expect(chatJson(options())).resolves.toHaveLength(1);
    expect(received).toHaveLength(3);
  });

  it('retries after a 500 and succeeds', async () => {
    script = [json(500, { error: { message: 'upstream overloaded' } }), completion(goodAnswer)];
    await expect(chatJson(options())).resolves.toHaveLength(1);
    expect(received).toHaveLength(2);
  });

  it('gives up with llm_invalid_answer when every answer is unusable', async () => {
    script = [completion('nope'), completion('{"segments":"x"}'), completion('[]')];
    const error = await failure(chatJson(options()));
    expect(error.code).toBe('llm_invalid_answer');
    expect(error.attempts).toBe(3);
    expect(received).toHaveLength(3);
  });

  it('abandons a hanging server after the per-attempt timeout, then fails after maxAttempts', async () => {
    script = [hang, hang];
    const started = Date.now();
    const error = await failure(chatJson(options({ timeoutMs: 300, maxAttempts: 2 })));
    expect(error.code).toBe('llm_timeout');
    expect(error.message).toMatch(/did not answer within 0.3 s/);
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails at once on 401, without retrying and without the key in the message', async () => {
    script = [json(401, { error: { message: `Incorrect API key provided: ${API_KEY}`, code: 'invalid_api_key' } })];
    const error = await failure(chatJson(options()));
    expect(received).toHaveLength(1);
    expect(error.code).toBe('llm_rejected');
    expect(error.status).toBe(401);
    expect(error.message).toContain('HTTP 401');
    expect(error.message).not.toContain(API_KEY);
    expect(JSON.stringify(error.extra)).not.toContain(API_KEY);
  });

  it('refuses a key that cannot go in a header without sending anything or quoting it', async () => {
    const key = `${API_KEY}\n`;
    const error = await failure(chatJson(options({ apiKey: key })));
    expect(error.code).toBe('llm_rejected');
    expect(error.message).not.toContain(API_KEY);
    expect(received).toHaveLength(0);
  });

  it('passes on the reason of another 4xx, with the key redacted', async () => {
    script = [json(404, { error: { message: `The model test-model does not exist (key ${API_KEY})` } })];
    const error = await failure(chatJson(options()));
    expect(received).toHaveLength(1);
    expect(error.code).toBe('llm_rejected');
    expect(error.message).toContain('The model test-model does not exist');
    expect(error.message).not.toContain(API_KEY);
  });

  it('waits as long as Retry-After asks', async () => {
    script = [json(429, { error: { message: 'rate limited' } }, { 'retry-after': '1' }), completion(goodAnswer)];
    const started = Date.now();
    await expect(chatJson(options())).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps a long Retry-After at maxRetryDelayMs', async () => {
    script = [json(503, {}, { 'retry-after': '3600' }), completion(goodAnswer)];
    const started = Date.now();
    await expect(chatJson(options({ maxRetryDelayMs: 50 }))).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports an unreachable endpoint as llm_unavailable after every attempt', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(chatJson(options({ baseUrl: `http://127.0.0.1:${port}/v1`, maxAttempts: 2 })));
    expect(error.code).toBe('llm_unavailable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.attempts).toBe(2);
  });

  it("stops at once when the caller aborts, with the caller's reason", async () => {
    script = [hang];
    const controller = new AbortController();
    const reason = new Error('step cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(chatJson(options({ signal: controller.signal }))).rejects.toBe(reason);
    expect(received).toHaveLength(1);
  });
});

describe('llmConfigFromEnv', () => {
  const settings = { LLM_MODEL: 'gpt-4o-mini', LLM_TIMEOUT_MS: 30_000, LLM_MAX_ATTEMPTS: 3 };

  it('is null when no endpoint is configured', () => {
    expect(llmConfigFromEnv({ ...settings, LLM_BASE_URL: undefined, LLM_API_KEY: 'k' })).toBeNull();
  });

  it('carries the endpoint, key, model and limits', () => {
    expect(llmConfigFromEnv({ ...settings, LLM_BASE_URL: 'http://llm.local/v1', LLM_API_KEY: 'k' })).toEqual({
      baseUrl: 'http://llm.local/v1',
      apiKey: 'k',
      model: 'gpt-4o-mini',
      timeoutMs: 30_000,
      maxAttempts: 3,
    });
  });
});
