// GET /api/v2/account/webhook-secret — the secret that signs callbacks; POST replaces it.
import { apiRoute } from '../../../../../server/http/api-route';
import { getWebhookSecret, rotateWebhookSecret } from '../../../../../server/services/webhooks/get-webhook-secret';

export const GET = apiRoute(async ({ account }) => ({ webhook_secret: await getWebhookSecret(account.id) }));
export const POST = apiRoute(async ({ account }) => ({ webhook_secret: await rotateWebhookSecret(account.id) }));
