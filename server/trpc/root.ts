// The dashboard's tRPC API: one router per domain. Served by app/api/trpc/[trpc]/route.ts; the
// `AppRouter` type is all the client (app/_components/trpc-provider.tsx) imports from here.
import { accountRouter } from './routers/account';
import { authRouter } from './routers/auth';
import { keysRouter } from './routers/keys';
import { videosRouter } from './routers/videos';
import { createTRPCRouter } from './init';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  keys: keysRouter,
  account: accountRouter,
  videos: videosRouter,
});

export type AppRouter = typeof appRouter;
