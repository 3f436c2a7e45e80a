// Lists an account's API keys, newest first, revoked ones included (marked).
import { apiKeysRepository } from '../../repositories/api-keys.repository';
import { toApiKeyView } from './api-key-view';

export async function listApiKeys(accountId: string) {
  return (await apiKeysRepository.listForAccount(accountId)).map(toApiKeyView);
}
