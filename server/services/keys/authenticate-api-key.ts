// Turns a presented API key into its account; missing, unknown and revoked keys are all 401.
// `lastUsedAt` is refreshed at most once a minute so that reads do not become writes.
import { AppError } from '../../contracts/errors';
import { apiKeysRepository } from '../../repositories/api-keys.repository';
import { hashApiKeySecret, looksLikeApiKey } from './api-key-secret';

const TOUCH_EVERY_MS = 60_000;

export async function authenticateApiKey(secret: string | null) {
  if (!secret) throw new AppError('unauthorized', 'Send an API key: Authorization: Bearer sk-… or X-API-Key: sk-…');
  const key = looksLikeApiKey(secret) ? await apiKeysRepository.findBySecretHash(hashApiKeySecret(secret)) : null;
  if (!key) throw new AppError('unauthorized', 'The API key is not valid.');
  if (key.revokedAt) throw new AppError('unauthorized', 'The API key has been revoked.');
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await apiKeysRepository.touch(key.id, now);
  }
  return key.account;
}
