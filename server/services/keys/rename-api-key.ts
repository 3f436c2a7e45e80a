// Renames one of the account's API keys; another account's key id is "not found".
import { AppError } from '../../contracts/errors';
import { apiKeysRepository } from '../../repositories/api-keys.repository';
import { ApiKeyName } from './create-api-key';

export async function renameApiKey(accountId: string, id: string, name: string) {
  const { count } = await apiKeysRepository.rename(accountId, id, ApiKeyName.parse(name));
  if (count !== 1) throw new AppError('not_found', 'No such API key.');
}
