// tRPC for the dashboard. Fed by the fetch adapter (request + response headers), it builds the
// context (signed-in account from the session cookie, where Set-Cookie goes, whether cookies must be
// Secure) and returns the procedures plus an error formatter that shows users only plain messages.
import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import type { FetchCreateContextFnOptions } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { AppError } from '../contracts/errors';
import { env } from '../env';
import { statusOf } from '../http/errors';
import { SESSION_COOKIE } from '../services/accounts/create-session';
import { getSessionAccount } from '../services/accounts/get-session-account';
import { isHttpsRequest, readCookie } from './session-cookie';

export async function createContext({ req, resHeaders }: FetchCreateContextFnOptions) {
  const sessionToken = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  return {
    account: await getSessionAccount(sessionToken),
    sessionToken,
    resHeaders,
    secureCookies: env.COOKIE_SECURE || isHttpsRequest(req),
    requestId: randomUUID(),
  };
}
export type Context = Awaited<ReturnType<typeof createContext>>;

/** The REST status table stays the single source of truth; tRPC has no 422, so it reads as 400. */
const CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BAD_REQUEST',
  429: 'TOO_MANY_REQUESTS',
};

export interface UserFacingError {
  error: TRPCError;
  /** Our stable machine code (`email_taken`, `validation_error`…), when the error is ours. */
  appCode?: string;
  fieldErrors?: Record<string, string[]>;
  /** A bug or an outage rather than a user mistake: log it, show a generic message. */
  unexpected: boolean;
}

export function toUserFacingError(error: TRPCError, requestId?: string): UserFacingError {
  const cause = error.cause;
  if (cause instanceof AppError) {
    const code = CODE_BY_STATUS[statusOf(cause.code)] ?? 'INTERNAL_SERVER_ERROR';
    return { error: new TRPCError({ code, message: cause.message, cause }), appCode: cause.code, unexpected: false };
  }
  if (cause instanceof ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of cause.issues) {
      const field = issue.path.map(String).join('.');
      if (field) (fieldErrors[field] ??= []).push(issue.message);
    }
    const message = [...new Set(cause.issues.map((i) => i.message))].slice(0, 5).join(' ');
    return { error: new TRPCError({ code: 'BAD_REQUEST', message, cause }), appCode: 'validation_error', fieldErrors, unexpected: false };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    const reference = requestId ? ` Quote request id ${requestId} if you report it.` : '';
    return {
      error: new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Something went wrong on our side.${reference}`, cause }),
      unexpected: true,
    };
  }
  return { error, unexpected: false };
}

const isDev = env.NODE_ENV === 'development';

const t = initTRPC.context<Context>().create({
  isDev,
  errorFormatter({ shape, error, ctx }) {
    const mapped = toUserFacingError(error, ctx?.requestId);
    return {
      message: mapped.error.message,
      code: TRPC_ERROR_CODES_BY_KEY[mapped.error.code],
      data: {
        code: mapped.error.code,
        httpStatus: getHTTPStatusCodeFromError(mapped.error),
        path: shape.data.path,
        appCode: mapped.appCode ?? null,
        fieldErrors: mapped.fieldErrors ?? null,
        ...(isDev && shape.data.stack ? { stack: shape.data.stack } : {}),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.account) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, account: ctx.account } });
});
