// Signs callback bodies so a receiver can tell our POSTs from forged or replayed ones (Stripe's scheme:
// an HMAC-SHA256 over "<unix seconds>.<raw body>", sent as `X-Signature: t=<seconds>,v1=<hex>`).
// Fed the job's webhook secret, a timestamp and the exact body bytes; returns the header value or a verdict.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type VerifyWebhookOptions = {
  /** Oldest (or furthest in the future) signature accepted, in seconds: bounds how long a captured
   *  request can be replayed while allowing for clock skew. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock, unix seconds. Default: now. */
  now?: number;
};

export function signWebhook(secret: string, timestamp: number, body: string | Uint8Array): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('The webhook timestamp must be whole unix seconds.');
  }
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

/** True when `header` carries a v1 signature of exactly this body by this secret, made within the tolerance. */
export function verifyWebhook(secret: string, header: string, body: string | Uint8Array, options: VerifyWebhookOptions = {}): boolean {
  const { toleranceSeconds = 300, now = Date.now() / 1000 } = options;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2) as [string, string?];
    if (key === 't' && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    // Several v1 entries may come while a secret is being rotated; any one matching is enough.
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === null || signatures.length === 0) return false;
  if (Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
}

function digest(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
