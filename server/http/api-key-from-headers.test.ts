// Where the API key is read from: Authorization Bearer first, then X-API-Key.
import { describe, expect, it } from 'vitest';
import { apiKeyFromHeaders } from './api-key-from-headers';

const from = (h: Record<string, string>) => apiKeyFromHeaders((n) => h[n]);

describe('apiKeyFromHeaders', () => {
  it('reads Bearer and X-API-Key, preferring Authorization', () => {
    expect(from({ authorization: 'Bearer sk-a' })).toBe('sk-a');
    expect(from({ authorization: 'bearer   sk-a ' })).toBe('sk-a');
    expect(from({ 'x-api-key': ' sk-b ' })).toBe('sk-b');
    expect(from({ authorization: 'Bearer sk-a', 'x-api-key': 'sk-b' })).toBe('sk-a');
  });
  it('ignores other schemes and absent headers', () => {
    expect(from({ authorization: 'Basic abc' })).toBeNull();
    expect(from({})).toBeNull();
  });
});
