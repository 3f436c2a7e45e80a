// The signed-in account's API keys: list, create (the full secret is returned this once), rename,
// revoke. Another account's key id answers NOT_FOUND, exactly like an unknown one.
import { z } from 'zod';
import { ApiKeyName, createApiKey } from '../../services/keys/create-api-key';
import { listApiKeys } from '../../services/keys/list-api-keys';
import { renameApiKey } from '../../services/keys/rename-api-key';
import { revokeApiKey } from '../../services/keys/revoke-api-key';
import { createTRPCRouter, protectedProcedure } from '../init';

const KeyId = z.string().min(1).max(100);

export const keysRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listApiKeys(ctx.account.id)),

  create: protectedProcedure.input(z.object({ name: ApiKeyName })).mutation(({ ctx, input }) => createApiKey(ctx.account.id, input.name)),

  rename: protectedProcedure.input(z.object({ id: KeyId, name: ApiKeyName })).mutation(async ({ ctx, input }) => {
    await renameApiKey(ctx.account.id, input.id, input.name);
    return { ok: true as const };
  }),

  revoke: protectedProcedure.input(z.object({ id: KeyId })).mutation(async ({ ctx, input }) => {
    await revokeApiKey(ctx.account.id, input.id);
    return { ok: true as const };
  }),
});
