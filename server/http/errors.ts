// The one error shape of the REST API, `{ error: { code, message } }`, and the code → HTTP status
// table. An unreachable database becomes a 503 with Retry-After; other unknown errors a 500 with a
// request id; nothing internal reaches the body.
import { ZodError } from 'zod';
import { AppError } from '../contracts/errors';
import { isDatabaseUnavailable } from './database-unavailable';

/** What a client is told to wait when the database is unreachable: a restart or failover takes seconds. */
const DATABASE_RETRY_AFTER_S = 5;

export const ERROR_STATUS: Record<string, number> = {
  invalid_json: 400,
  bad_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  insufficient_credits: 402,
  not_found: 404,
  step_in_progress: 409,
  video_not_ready: 409,
  missing_dependency: 409,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  unknown_model_type: 422,
  unsupported_media: 422,
  url_not_allowed: 422,
  url_unreachable: 422,
  invalid_callback_url: 422,
  idempotency_conflict: 422,
  download_timeout: 422,
  upload_failed: 400,
  rate_limited: 429,
  internal_error: 500,
  database_unavailable: 503,
  storage_full: 507,
};

export function statusOf(code: string): number {
  return ERROR_STATUS[code] ?? 500;
}

export function zodMessage(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Normalizes anything thrown into an AppError; unexpected errors are logged with the request id. */
export function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return new AppError('validation_error', zodMessage(error));
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable: ${(error as Error).message?.split('\n').at(-1)}`);
    return new AppError('database_unavailable', 'The database is not reachable right now. Try again in a few seconds.', {
      retry_after: DATABASE_RETRY_AFTER_S,
    });
  }
  console.error(`[${requestId}] unexpected error`, error);
  return new AppError('internal_error', `Something went wrong on our side. Quote request id ${requestId} if you report it.`);
}

/** Headers an error answer carries besides its body: `Retry-After` (seconds) for a rate limit or a database outage. */
export function errorHeaders(error: AppError): Record<string, string> {
  const retryAfter = error.extra.retry_after;
  return typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
}

export function errorBody(error: AppError, requestId?: string) {
  return {
    error: { code: error.code, message: error.message, ...(error.code === 'internal_error' && requestId ? { request_id: requestId } : {}) },
    ...error.extra,
  };
}
