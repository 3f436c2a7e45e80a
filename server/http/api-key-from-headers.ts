// Reads the API key from `Authorization: Bearer sk-…` or `X-API-Key: sk-…`.
export function apiKeyFromHeaders(get: (name: string) => string | null | undefined): string | null {
  const auth = get('authorization');
  const bearer = auth?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? get('x-api-key')?.trim() ?? null;
}
