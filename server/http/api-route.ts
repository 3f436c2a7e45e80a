// Wraps a REST handler: request id, API-key auth, JSON body parsing with a size limit, zod
// validation, and the error shape. Handlers return plain data (sent as JSON) or a Response.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../contracts/errors';
import { authenticateApiKey } from '../services/keys/authenticate-api-key';
import { apiKeyFromHeaders } from './api-key-from-headers';
import { errorBody, errorHeaders, statusOf, toAppError } from './errors';

const MAX_JSON_BYTES = 1024 * 1024;

type Account = Awaited<ReturnType<typeof authenticateApiKey>>;
interface Ctx<P> {
  req: Request;
  account: Account;
  params: P;
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function errorResponse(error: unknown, requestId: string): Response {
  const appError = toAppError(error, requestId);
  return json(errorBody(appError, requestId), statusOf(appError.code), { 'x-request-id': requestId, ...errorHeaders(appError) });
}

export function apiRoute<P = Record<string, string>>(handler: (ctx: Ctx<P>) => Promise<unknown>, opts: { status?: number } = {}) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const account = await authenticateApiKey(apiKeyFromHeaders((n) => req.headers.get(n)));
      const result = await handler({ req, account, params: await route.params });
      if (result instanceof Response) return result;
      return json(result, opts.status ?? 200, { 'x-request-id': requestId });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** Parses a JSON body (≤ 1 MiB) against `schema`: 400 for unparseable JSON, 422 for invalid fields. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const text = await readLimited(req, MAX_JSON_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
  return schema.parse(value);
}

async function readLimited(req: Request, limit: number): Promise<string> {
  if (Number(req.headers.get('content-length') ?? 0) > limit)
    throw new AppError('payload_too_large', `JSON bodies are limited to ${limit} bytes.`);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new AppError('payload_too_large', `JSON bodies are limited to ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
