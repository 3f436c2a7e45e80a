// The browser session cookie as tRPC reads and writes it: parsed from the request's Cookie header,
// written to the response headers the fetch adapter sends back (HttpOnly, SameSite=Lax, Path=/,
// 30 days; Secure when the site is served over https or COOKIE_SECURE says so).
import { SESSION_COOKIE, SESSION_DAYS } from '../services/accounts/create-session';

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** Behind a TLS-terminating proxy the request itself is plain http, hence x-forwarded-proto. */
export function isHttpsRequest(req: Request): boolean {
  const forwarded = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(req.url).protocol === 'https:';
}

interface CookieTarget {
  resHeaders: Headers;
  secureCookies: boolean;
}

function serialize(value: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function setSessionCookie(target: CookieTarget, token: string): void {
  target.resHeaders.append('set-cookie', serialize(token, SESSION_DAYS * 86_400, target.secureCookies));
}

export function clearSessionCookie(target: CookieTarget): void {
  target.resHeaders.append('set-cookie', serialize('', 0, target.secureCookies));
}
