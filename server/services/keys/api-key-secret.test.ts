// API key secrets: shape, uniqueness, stable hash, visible prefix.
import { describe, expect, it } from 'vitest';
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret, looksLikeApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('are sk- plus 32 base62 characters, all different', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKeySecret));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(looksLikeApiKey(k)).toBe(true);
  });
  it('hash deterministically and never contain the secret in the hash', () => {
    const k = generateApiKeySecret();
    expect(hashApiKeySecret(k)).toBe(hashApiKeySecret(k));
    expect(hashApiKeySecret(k)).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyPrefix(k)).toBe(k.slice(0, 10));
  });
  it('rejects look-alikes', () => {
    expect(looksLikeApiKey('sk-short')).toBe(false);
    expect(looksLikeApiKey(`pk-${'a'.repeat(32)}`)).toBe(false);
  });
});
