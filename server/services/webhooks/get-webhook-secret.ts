// The account's webhook signing secret (`whsec_…`), created on first use; rotating replaces it.
// Callback requests carry `X-Signature: t=…,v1=…` made with it (see webhook-signature.ts).
import { randomBytes } from 'node:crypto';
import { accountsRepository } from '../../repositories/accounts.repository';

const fresh = () => `whsec_${randomBytes(24).toString('base64url')}`;

export const getWebhookSecret = (accountId: string) => accountsRepository.webhookSecret(accountId, fresh);

export async function rotateWebhookSecret(accountId: string) {
  const secret = fresh();
  await accountsRepository.setWebhookSecret(accountId, secret);
  return secret;
}
