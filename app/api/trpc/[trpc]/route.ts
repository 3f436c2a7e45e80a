// GET/POST /api/trpc/* — the dashboard's tRPC endpoint (fetch adapter). Feeds the request to the
// app router with a per-request context; unexpected errors are logged here with their request id.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext, toUserFacingError } from '../../../../server/trpc/init';
import { appRouter } from '../../../../server/trpc/root';

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    onError({ error, path, ctx }) {
      if (toUserFacingError(error).unexpected) console.error(`[${ctx?.requestId ?? 'no-context'}] tRPC ${path ?? '?'} failed`, error);
    },
  });

export { handler as GET, handler as POST };
