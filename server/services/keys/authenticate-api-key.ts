// Turns a presented API key into its account; missing, unknown and revoked keys are all 401, a key
// over RATE_LIMIT_PER_MINUTE is 429 (`retry_after` seconds). `lastUsedAt` is refreshed at most once
// a minute so that reads do not become writes.
import { AppError } from '../../contracts/errors';
import { env } from '../../env';
import { apiKeysRepository } from '../../repositories/api-keys.repository';
import { hashApiKeySecret, looksLikeApiKey } from './api-key-secret';
import { TokenBucket } from './token-bucket';

const TOUCH_EVERY_MS = 60_000;

// One bucket per process: the REST routes (bundled by Next.js) and the download handler (loaded by
// scripts/serve.ts) are two copies of this module in the same process, and must share one count.
const LIMITER = Symbol.for('reframe.apiKeyRateLimit');
function rateLimiter(): TokenBucket {
  const holder = globalThis as { [LIMITER]?: TokenBucket };
  return (holder[LIMITER] ??= new TokenBucket({ perMinute: env.RATE_LIMIT_PER_MINUTE }));
}

export async function authenticateApiKey(secret: string | null) {
  if (!secret) throw new AppError('unauthorized', 'Send an API key: Authorization: Bearer sk-… or X-API-Key: sk-…');
  const key = looksLikeApiKey(secret) ? await apiKeysRepository.findBySecretHash(hashApiKeySecret(secret)) : null;
  if (!key) throw new AppError('unauthorized', 'The API key is not valid.');
  if (key.revokedAt) throw new AppError('unauthorized', 'The API key has been revoked.');
  const allowance = rateLimiter().take(key.id);
  if (!allowance.allowed) {
    throw new AppError(
      'rate_limited',
      `Too many requests with this API key (limit ${env.RATE_LIMIT_PER_MINUTE} per minute). Retry in ${allowance.retryAfterSeconds} s.`,
      { retry_after: allowance.retryAfterSeconds },
    );
  }
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await apiKeysRepository.touch(key.id, now);
  }
  return key.account;
}
