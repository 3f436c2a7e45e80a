// Talks to an OpenAI-compatible chat-completions endpoint for reframe_llm, asking for one JSON object.
// Fed the endpoint, model, messages and a parser for the reply's content; returns what the parser makes
// of it, retrying transient failures and unusable answers, or throws an LlmError safe to show users.
import { z } from 'zod';
import { AppError } from '../contracts/errors';
import { env, type Env } from '../env';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type LlmConfig = {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  maxAttempts: number;
};

export type ChatJsonOptions<T> = LlmConfig & {
  messages: ChatMessage[];
  /** Turns the reply's content into a result; a throw counts as an unusable answer and is retried. */
  parse: (content: string) => T;
  signal?: AbortSignal;
  /** First pause between attempts, doubled each time. Default 500 ms. */
  retryDelayMs?: number;
  /** Longest pause a server's Retry-After may ask for before we wait less than it asked. Default 10 s. */
  maxRetryDelayMs?: number;
};

export type LlmErrorCode = 'llm_timeout' | 'llm_unavailable' | 'llm_rejected' | 'llm_invalid_answer';

/** Messages never carry the API key (servers echo it back in 401 bodies), so they can go in a step's status. */
export class LlmError extends AppError {
  constructor(
    code: LlmErrorCode,
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(code, message, { attempts, ...(status !== undefined ? { status } : {}) });
    this.name = 'LlmError';
  }
}

// A chat reply is a few kilobytes; more than this is a misbehaving server, not an answer.
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const RETRY_STATUSES = new Set([408, 429]);

const Completion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

/** The LLM settings of server/env.ts, or null when no endpoint is configured (reframe_llm then uses the heuristic). */
export function llmConfigFromEnv(
  e: Pick<Env, 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_MAX_ATTEMPTS'> = env,
): LlmConfig | null {
  if (!e.LLM_BASE_URL) return null;
  return {
    baseUrl: e.LLM_BASE_URL,
    ...(e.LLM_API_KEY ? { apiKey: e.LLM_API_KEY } : {}),
    model: e.LLM_MODEL,
    timeoutMs: e.LLM_TIMEOUT_MS,
    maxAttempts: e.LLM_MAX_ATTEMPTS,
  };
}

/** A failed attempt: whether another may succeed, and how long the server asked us to wait first. */
type Failure = { error: LlmError; retry: boolean; retryAfterMs?: number };

export async function chatJson<T>(o: ChatJsonOptions<T>): Promise<T> {
  const url = `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const body = JSON.stringify({ model: o.model, messages: o.messages, temperature: 0, response_format: { type: 'json_object' } });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (o.apiKey) {
    // fetch would quote the whole header value, key included, in its error; and no retry can help.
    if (!/^[\x20-\x7e]+$/.test(o.apiKey))
      throw new LlmError('llm_rejected', 'LLM_API_KEY contains characters that cannot be sent in an HTTP header.', 0);
    headers.authorization = `Bearer ${o.apiKey}`;
  }
  const baseDelay = o.retryDelayMs ?? 500;
  const maxDelay = o.maxRetryDelayMs ?? 10_000;
  const attempts = Math.max(1, Math.floor(o.maxAttempts));

  let last: Failure | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      const backoff = baseDelay * 2 ** (attempt - 2);
      await sleep(Math.min(maxDelay, last?.retryAfterMs ?? backoff), o.signal);
    }
    const outcome = await attemptOnce(url, body, headers, o, attempt);
    if (outcome.ok) return outcome.value;
    last = outcome.failure;
    if (!last.retry) break;
  }
  throw last!.error;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

async function attemptOnce<T>(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: ChatJsonOptions<T>,
  attempt: number,
): Promise<Outcome<T>> {
  o.signal?.throwIfAborted();
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timer.signal]) : timer.signal;
  const fail = (code: LlmErrorCode, message: string, retry: boolean, status?: number, retryAfterMs?: number): Outcome<T> => ({
    ok: false,
    failure: {
      // Redacted before it is shortened, so that no cut-off piece of the key survives either.
      error: new LlmError(code, truncate(redact(message, o.apiKey), 300), attempt, status),
      retry,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  });
  try {
    let text: string;
    let status: number;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await readCapped(response);
    } catch (error) {
      // The caller's own abort is not ours to retry or to reword.
      if (o.signal?.aborted) throw o.signal.reason;
      if (timer.signal.aborted) {
        return fail('llm_timeout', `The language model did not answer within ${o.timeoutMs / 1000} s (attempt ${attempt}).`, true);
      }
      return fail('llm_unavailable', `The language model endpoint could not be reached: ${describeNetworkError(error)}.`, true);
    }

    if (status < 200 || status > 299) {
      const retry = RETRY_STATUSES.has(status) || status >= 500;
      // 401/403 bodies tend to quote the credential; other refusals explain themselves usefully (unknown model, …).
      const detail = status === 401 || status === 403 ? 'check LLM_API_KEY' : providerMessage(text);
      const message = `The language model endpoint answered HTTP ${status}${detail ? `: ${detail}` : ''}.`;
      return fail(retry ? 'llm_unavailable' : 'llm_rejected', message, retry, status, retry ? retryAfterMs(retryAfter) : undefined);
    }

    const completion = Completion.safeParse(parseJson(text));
    const choice = completion.success ? completion.data.choices[0]! : null;
    if (!choice) {
      return fail('llm_invalid_answer', 'The language model endpoint sent something other than a chat completion.', true, status);
    }
    if (typeof choice.message.content !== 'string' || choice.finish_reason === 'length') {
      const problem = choice.finish_reason === 'length' ? 'was cut off at the token limit' : 'had no content';
      return fail('llm_invalid_answer', `The language model's reply ${problem}.`, true, status);
    }
    const content = choice.message.content;
    try {
      return { ok: true, value: o.parse(content) };
    } catch (error) {
      return fail('llm_invalid_answer', `The language model's answer was not usable: ${messageOf(error)}`, true, status);
    }
  } finally {
    clearTimeout(timeout);
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > MAX_RESPONSE_BYTES) {
      // Cancelling frees the connection instead of downloading the rest.
      await reader.cancel();
      throw new Error(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function providerMessage(text: string): string {
  const json = parseJson(text) as { error?: { message?: unknown } | string; message?: unknown } | null;
  // Not JSON: the raw text (often an HTML error page, cut short later) is all there is.
  const message: unknown = json === null ? text : typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
  return typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describeNetworkError(error: unknown): string {
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND…) in the cause of a generic "fetch failed".
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return messageOf(cause ?? error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
