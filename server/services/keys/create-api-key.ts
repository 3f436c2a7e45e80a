// Creates an API key for an account; the full secret is returned once and never stored.
import { z } from 'zod';
import { apiKeysRepository } from '../../repositories/api-keys.repository';
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import { toApiKeyView } from './api-key-view';

export const ApiKeyName = z.string().trim().min(1, 'Give the key a name.').max(80, 'Use at most 80 characters.');

export async function createApiKey(accountId: string, name: string) {
  const secret = generateApiKeySecret();
  const key = await apiKeysRepository.create({
    accountId,
    name: ApiKeyName.parse(name),
    prefix: apiKeyPrefix(secret),
    secretHash: hashApiKeySecret(secret),
  });
  return { key: toApiKeyView(key), secret };
}
