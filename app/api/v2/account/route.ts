// GET /api/v2/account — email, credit balance and recent ledger entries.
import { apiRoute } from '../../../../server/http/api-route';
import { getAccountSummary } from '../../../../server/services/credits/get-account-summary';

export const GET = apiRoute(async ({ account }) => getAccountSummary(account));
