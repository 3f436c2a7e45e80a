'use client';
// The browser side of the dashboard API: one QueryClient and one tRPC client (batched HTTP to
// /api/trpc, the session cookie rides along) for the whole page; `useTRPC` gives typed query options.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '../../server/trpc/root';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // A 401 or a validation error will not change on retry; a flaky network might.
      queries: { staleTime: 30_000, retry: (count, error) => count < 2 && !('data' in error && error.data) },
      mutations: { retry: false },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** On the server every render gets its own client so that no account's data leaks into another's. */
function getQueryClient() {
  if (typeof window === 'undefined') return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

export function TrpcProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc' })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
