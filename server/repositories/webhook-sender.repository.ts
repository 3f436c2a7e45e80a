// Delivers one signed callback POST to an integrator's URL, through the same SSRF gate as URL ingest.
// Fed the callback URL, the JSON body, the secret, an event id and a time limit; returns whether it was
// delivered and, if not, whether trying again could help (the caller's queue owns retries and backoff).
import dns from 'node:dns';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { AppError } from '../contracts/errors';
import { env } from '../env';
import { signWebhook } from '../services/webhooks/webhook-signature';
import { type AddressPolicy, isAddressAllowed, parseAllowPrivate } from './address-policy';
import { assertUrlAllowed } from './url-fetch.repository';

export type WebhookDelivery =
  { delivered: true; status: number } | { delivered: false; permanent: boolean; status?: number; reason: string };

export type SendWebhookOptions = {
  url: string;
  /** The exact bytes signed and sent: receivers verify the raw body, so it must not be re-serialised. */
  body: string;
  secret: string;
  /** Stable across retries of one event, so receivers can drop duplicates. */
  eventId: string;
  /** Covers resolving, connecting, sending and the start of the answer. */
  timeoutMs: number;
  /** Which addresses the URL may reach. Default: ALLOW_PRIVATE_URLS, the same setting as URL ingest. */
  policy?: AddressPolicy;
  signal?: AbortSignal;
  userAgent?: string;
};

const MAX_URL_LENGTH = 2048;
// Enough of an error page to say what went wrong; a receiver's answer is otherwise of no interest.
const MAX_RESPONSE_BYTES = 1024;
const SNIPPET_WAIT_MS = 1000;
const DEFAULT_USER_AGENT = 'reframe-service/0.1 (+webhook)';
const PRIVATE_ADDRESS = 'The callback URL points to a private or local network address, which is not allowed.';

/** Request-time check of a callback URL: an error message for the user, or null when it is acceptable. */
export function validateCallbackUrl(input: string, policy: AddressPolicy = defaultPolicy()): string | null {
  if (input.trim() === '') return 'The callback URL is empty.';
  if (input.length > MAX_URL_LENGTH) return `The callback URL is longer than ${MAX_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'The callback URL is not a valid URL.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The callback URL must start with http:// or https://.';
  if (url.username !== '' || url.password !== '') {
    return 'The callback URL must not contain a user name or password; check the X-Signature header to authenticate our requests instead.';
  }
  // Names are only resolved at delivery time, but a literal private address can be refused right away.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = net.isIP(host) !== 0 ? [host] : /(^|\.)localhost\.?$/i.test(host) ? ['127.0.0.1', '::1'] : [];
  if (literal.some((address) => !isAddressAllowed(address, policy))) return PRIVATE_ADDRESS;
  return null;
}

export async function sendWebhook(o: SendWebhookOptions): Promise<WebhookDelivery> {
  const policy = o.policy ?? defaultPolicy();
  const problem = validateCallbackUrl(o.url, policy);
  if (problem) return permanent(problem);
  o.signal?.throwIfAborted();

  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(), o.timeoutMs);
  const onCallerAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await untilAborted(deliver(new URL(o.url.trim()), o, policy, stop.signal), stop.signal);
  } catch (error) {
    // Shutting down is the caller's business, not a failed delivery to record.
    if (o.signal?.aborted) throw o.signal.reason;
    if (stop.signal.aborted) return transient(`The callback URL did not answer within ${Math.round(o.timeoutMs / 100) / 10} s.`);
    throw error;
  } finally {
    clearTimeout(deadline);
    o.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function deliver(url: URL, o: SendWebhookOptions, policy: AddressPolicy, signal: AbortSignal): Promise<WebhookDelivery> {
  try {
    await assertUrlAllowed(url, policy);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A name that does not resolve now may resolve later (DNS outage, record not yet published).
    return error.code === 'url_unreachable' ? transient(error.message) : permanent(error.message);
  }

  const timestamp = Math.floor(Date.now() / 1000);
  const client = url.protocol === 'https:' ? https : http;
  let request: ClientRequest;
  try {
    // No shared agent: a pooled socket would skip the address check done by the lookup below.
    request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: vettedLookup(policy),
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(o.body),
        'user-agent': o.userAgent ?? DEFAULT_USER_AGENT,
        'x-signature': signWebhook(o.secret, timestamp, o.body),
        'x-webhook-id': o.eventId,
        'x-webhook-timestamp': String(timestamp),
      },
    });
  } catch (error) {
    // Node refuses header values with control characters (an event id from elsewhere, say): no retry fixes that.
    return permanent(`The callback could not be sent: ${(error as Error).message}`);
  }
  signal.addEventListener('abort', () => request.destroy(), { once: true });

  let response: IncomingMessage;
  try {
    response = await new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
      request.end(o.body);
    });
  } catch (error) {
    return networkFailure(url, error as NodeJS.ErrnoException);
  }

  const status = response.statusCode ?? 0;
  if (status >= 200 && status <= 299) {
    response.destroy();
    return { delivered: true, status };
  }
  const snippet = await readSnippet(response);
  const said = snippet ? `: ${snippet}` : '';
  if (status >= 300 && status <= 399) {
    // Following would send the signed body somewhere nobody registered, past the address check.
    return permanent(`The callback URL redirected (HTTP ${status}); callbacks do not follow redirects, register the final URL.`, status);
  }
  if (status === 408 || status === 429 || status >= 500) return transient(`The callback URL answered HTTP ${status}${said}`, status);
  return permanent(`The callback URL answered HTTP ${status}${said}`, status);
}

// Resolves again at connect time and checks what it gets: assertUrlAllowed's answer is not what the
// socket uses, so a DNS record that changes in between (rebinding) would otherwise slip through.
function vettedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((entry) => !isAddressAllowed(entry.address, policy));
      if (refused || addresses.length === 0) {
        const denied: NodeJS.ErrnoException = new Error(PRIVATE_ADDRESS);
        denied.code = 'EADDRNOTALLOWED';
        return callback(denied, '', 0);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function networkFailure(url: URL, error: NodeJS.ErrnoException): WebhookDelivery {
  const code = error.code ?? 'unknown';
  if (code === 'EADDRNOTALLOWED') return permanent(PRIVATE_ADDRESS);
  const host = url.host;
  const reason =
    code === 'ECONNREFUSED'
      ? `The callback server at ${host} refused the connection.`
      : code === 'ECONNRESET'
        ? `The connection to the callback server at ${host} was closed unexpectedly.`
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `The host ${url.hostname} could not be resolved.`
          : /CERT|SSL|TLS|VERIFY/.test(code)
            ? `The callback server at ${host} presented an invalid TLS certificate.`
            : `The callback could not be delivered to ${host} (${code}).`;
  return transient(reason);
}

function readSnippet(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A receiver that sends its status and then stalls the body has still answered.
    const timer = setTimeout(() => finish(), SNIPPET_WAIT_MS);
    const finish = (): void => {
      clearTimeout(timer);
      response.destroy();
      const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
      // Shown in a job's status: one line, printable, short.
      resolve(
        text
          .replace(/\p{Cc}+/gu, ' ')
          .trim()
          .slice(0, 200),
      );
    };
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_RESPONSE_BYTES) finish();
    });
    response.once('end', finish);
    response.once('error', finish);
    response.once('close', finish);
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function defaultPolicy(): AddressPolicy {
  return parseAllowPrivate(env.ALLOW_PRIVATE_URLS);
}

function permanent(reason: string, status?: number): WebhookDelivery {
  return { delivered: false, permanent: true, reason, ...(status !== undefined ? { status } : {}) };
}

function transient(reason: string, status?: number): WebhookDelivery {
  return { delivered: false, permanent: false, reason, ...(status !== undefined ? { status } : {}) };
}
