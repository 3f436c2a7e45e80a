// The signed-in account's credits for the dashboard: balance and the most recent ledger entries,
// the same summary GET /api/v2/account returns.
import { getAccountSummary } from '../../services/credits/get-account-summary';
import { createTRPCRouter, protectedProcedure } from '../init';

export const accountRouter = createTRPCRouter({
  summary: protectedProcedure.query(({ ctx }) => getAccountSummary(ctx.account, 20)),
});
