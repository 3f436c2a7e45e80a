// The shape of an API key: `sk-` + 32 random base62 characters. Only its SHA-256 is stored (a
// random 190-bit secret needs no slow hash); the first 10 characters are kept to show in lists.
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function generateApiKeySecret(): string {
  let s = 'sk-';
  for (let i = 0; i < 32; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const apiKeyPrefix = (secret: string) => secret.slice(0, 10);
export const looksLikeApiKey = (s: string) => /^sk-[0-9A-Za-z]{32}$/.test(s);
