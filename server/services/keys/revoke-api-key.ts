// Revokes one of the account's API keys at once; revoking twice is harmless.
import { AppError } from '../../contracts/errors';
import { apiKeysRepository } from '../../repositories/api-keys.repository';

export async function revokeApiKey(accountId: string, id: string) {
  const key = await apiKeysRepository.findForAccount(accountId, id);
  if (!key) throw new AppError('not_found', 'No such API key.');
  await apiKeysRepository.revoke(accountId, id, new Date());
}
