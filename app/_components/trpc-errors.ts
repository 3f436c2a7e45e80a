// Reads what the server's error formatter put on a failed tRPC call: the user-facing message, the
// first error of each field, and whether the session is gone. Network failures get their own text.
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/trpc/root';

function dataOf(error: unknown) {
  return error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data : undefined;
}

export function errorMessage(error: unknown): string {
  if (!dataOf(error)) return 'Could not reach the server. Check your connection and try again.';
  return (error as Error).message;
}

export function fieldError(error: unknown, field: string): string | undefined {
  return dataOf(error)?.fieldErrors?.[field]?.[0];
}

export function appCodeOf(error: unknown): string | undefined {
  return dataOf(error)?.appCode ?? undefined;
}

export function isUnauthorized(error: unknown): boolean {
  return dataOf(error)?.code === 'UNAUTHORIZED';
}
