// The signed-in account's credits for the dashboard: balance and the most recent ledger entries
// (20 for the cards, 200 for the credits page), the same summary GET /api/v2/account returns.
import { getAccountSummary } from '../../services/credits/get-account-summary';
import { createTRPCRouter, protectedProcedure } from '../init';

export const accountRouter = createTRPCRouter({
  summary: protectedProcedure.query(({ ctx }) => getAccountSummary(ctx.account, 20)),
  ledger: protectedProcedure.query(({ ctx }) => getAccountSummary(ctx.account, 200)),
});
