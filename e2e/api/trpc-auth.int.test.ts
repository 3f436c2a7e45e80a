// The dashboard's tRPC endpoint over plain HTTP against the real server: session cookie flags,
// sign-up/sign-in errors, API keys made from a session working (and stopping) on the REST API, and
// one account never touching another's keys. Uses fetch only, like any other client would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

const COOKIE = 'reframe_session';
const PASSWORD = 'a long enough password';

interface TrpcError {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    appCode: string | null;
    fieldErrors: Record<string, string[]> | null;
    stack?: string;
  };
}
interface TrpcReply<T> {
  status: number;
  setCookies: string[];
  data?: T;
  error?: TrpcError;
}

let server: TestServer;
let emails = 0;
const newEmail = () => `trpc-${process.pid}-${++emails}@example.com`;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** One non-batched tRPC call: queries as GET ?input=, mutations as a POSTed JSON body. */
async function trpc<T = unknown>(
  procedure: string,
  opts: { input?: unknown; cookie?: string | undefined; query?: boolean; headers?: Record<string, string> } = {},
): Promise<TrpcReply<T>> {
  const url = new URL(`/api/trpc/${procedure}`, server.url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  let init: RequestInit;
  if (opts.query) {
    if (opts.input !== undefined) url.searchParams.set('input', JSON.stringify(opts.input));
    init = { headers };
  } else {
    headers['content-type'] = 'application/json';
    init = { method: 'POST', headers, ...(opts.input !== undefined ? { body: JSON.stringify(opts.input) } : {}) };
  }
  const res = await fetch(url, init);
  const body = (await res.json()) as { result?: { data: T }; error?: TrpcError };
  return { status: res.status, setCookies: res.headers.getSetCookie(), data: body.result?.data, error: body.error };
}

function sessionCookieOf(reply: TrpcReply<unknown>): string {
  const header = reply.setCookies.find((c) => c.startsWith(`${COOKIE}=`));
  if (!header) throw new Error(`no session cookie in ${JSON.stringify(reply.setCookies)}`);
  return header;
}

const attributes = (header: string) => header.split(';').map((a) => a.trim().toLowerCase());
const cookiePair = (header: string) => header.split(';')[0]!;

async function signUp(email = newEmail()) {
  const reply = await trpc<{ email: string }>('auth.signUp', { input: { email, password: PASSWORD } });
  expect(reply.status, JSON.stringify(reply.error)).toBe(200);
  return { email, cookie: cookiePair(sessionCookieOf(reply)) };
}

const restAccount = (key: string) => fetch(`${server.url}/api/v2/account`, { headers: { authorization: `Bearer ${key}` } });

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, 30 days, and not Secure on plain http', async () => {
    const email = newEmail();
    const reply = await trpc<{ email: string }>('auth.signUp', { input: { email: ` ${email.toUpperCase()} `, password: PASSWORD } });
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({ email });
    const attrs = attributes(sessionCookieOf(reply));
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=2592000']));
    expect(attrs).not.toContain('secure');
  });

  it('is Secure when the request came through an https proxy', async () => {
    const reply = await trpc('auth.signUp', {
      input: { email: newEmail(), password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(reply.status).toBe(200);
    expect(attributes(sessionCookieOf(reply))).toContain('secure');
  });

  it('identifies the account, and stops working after sign-out, which clears it', async () => {
    const { email, cookie } = await signUp();
    expect((await trpc('auth.me', { query: true, cookie })).data).toMatchObject({ email });

    const out = await trpc('auth.signOut', { cookie });
    expect(out.status).toBe(200);
    expect(attributes(sessionCookieOf(out))).toEqual(expect.arrayContaining(['max-age=0', 'httponly', 'path=/']));
    expect((await trpc('auth.me', { query: true, cookie })).data).toBeNull();
    expect((await trpc('keys.list', { query: true, cookie })).status).toBe(401);
  });
});

describe('sign-up and sign-in errors', () => {
  it('rejects a short password with a field error', async () => {
    const reply = await trpc('auth.signUp', { input: { email: newEmail(), password: 'short' } });
    expect(reply.status).toBe(400);
    expect(reply.error?.data.code).toBe('BAD_REQUEST');
    expect(reply.error?.message).toBe('Use at least 8 characters.');
    expect(reply.error?.data.fieldErrors).toEqual({ password: ['Use at least 8 characters.'] });
    expect(reply.setCookies).toEqual([]);
  });

  it('refuses a second account with the same email', async () => {
    const { email } = await signUp();
    const reply = await trpc('auth.signUp', { input: { email, password: PASSWORD } });
    expect(reply.status).toBe(409);
    expect(reply.error?.data).toMatchObject({ code: 'CONFLICT', appCode: 'email_taken' });
    expect(reply.error?.message).toMatch(/^An account with this email already exists/);
  });

  it('says only "incorrect" for a wrong password or an unknown email, and signs in with the right one', async () => {
    const { email } = await signUp();
    for (const input of [
      { email, password: 'not the password' },
      { email: newEmail(), password: PASSWORD },
    ]) {
      const reply = await trpc('auth.signIn', { input });
      expect(reply.status).toBe(401);
      expect(reply.error?.data.code).toBe('UNAUTHORIZED');
      expect(reply.error?.message).toBe('Email or password is incorrect.');
    }
    const ok = await trpc<{ email: string }>('auth.signIn', { input: { email, password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ email });
    expect(sessionCookieOf(ok)).toMatch(new RegExp(`^${COOKIE}=[\\w-]{20,}`));
  });
});

describe('API keys through tRPC', () => {
  it('answers 401 UNAUTHORIZED without a session, with no stack trace', async () => {
    const reply = await trpc('keys.list', { query: true });
    expect(reply.status).toBe(401);
    expect(reply.error?.data.code).toBe('UNAUTHORIZED');
    expect(reply.error?.data.stack).toBeUndefined();
    expect((await trpc('keys.create', { input: { name: 'x' } })).status).toBe(401);
    expect((await trpc('account.summary', { query: true, cookie: `${COOKIE}=not-a-session` })).status).toBe(401);
  });

  it('creates a key that works on the REST API until it is revoked', async () => {
    const { email, cookie } = await signUp();
    const created = await trpc<{ key: { id: string; name: string; prefix: string; revokedAt: string | null }; secret: string }>(
      'keys.create',
      {
        input: { name: '  ci  ' },
        cookie,
      },
    );
    expect(created.status).toBe(200);
    const { key, secret } = created.data!;
    expect(secret).toMatch(/^sk-[0-9A-Za-z]{32}$/);
    expect(key).toMatchObject({ name: 'ci', prefix: secret.slice(0, 10), revokedAt: null });
    expect(key).not.toHaveProperty('secretHash');

    const account = await restAccount(secret);
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({ email, balance: 300 });

    const summary = await trpc<{ balance: number; ledger: { reason: string; amount: number }[] }>('account.summary', {
      query: true,
      cookie,
    });
    expect(summary.data).toMatchObject({ email, balance: 300, ledger: [{ reason: 'signup_grant', amount: 300 }] });

    const listed = await trpc<{ id: string; lastUsedAt: string | null }[]>('keys.list', { query: true, cookie });
    expect(listed.data).toHaveLength(1);
    expect(listed.data![0]!.lastUsedAt).not.toBeNull();

    expect((await trpc('keys.rename', { input: { id: key.id, name: 'deploy' }, cookie })).status).toBe(200);
    expect((await trpc('keys.revoke', { input: { id: key.id }, cookie })).status).toBe(200);
    expect((await restAccount(secret)).status).toBe(401);
    const after = await trpc<{ name: string; revokedAt: string | null }[]>('keys.list', { query: true, cookie });
    expect(after.data![0]).toMatchObject({ name: 'deploy', revokedAt: expect.any(String) });
  });

  it('explains an invalid key name per field', async () => {
    const { cookie } = await signUp();
    const reply = await trpc('keys.create', { input: { name: '   ' }, cookie });
    expect(reply.status).toBe(400);
    expect(reply.error?.data.fieldErrors).toEqual({ name: ['Give the key a name.'] });
  });

  it('does not let another account rename or revoke my key', async () => {
    const mine = await signUp();
    const theirs = await signUp();
    const created = await trpc<{ key: { id: string }; secret: string }>('keys.create', { input: { name: 'mine' }, cookie: mine.cookie });
    const id = created.data!.key.id;

    for (const [procedure, input] of [
      ['keys.rename', { id, name: 'stolen' }],
      ['keys.revoke', { id }],
    ] as const) {
      const reply = await trpc(procedure, { input, cookie: theirs.cookie });
      expect(reply.status).toBe(404);
      expect(reply.error?.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'not_found' });
    }
    expect((await trpc<unknown[]>('keys.list', { query: true, cookie: theirs.cookie })).data).toEqual([]);
    const still = await trpc<{ name: string; revokedAt: string | null }[]>('keys.list', { query: true, cookie: mine.cookie });
    expect(still.data).toEqual([expect.objectContaining({ name: 'mine', revokedAt: null })]);
    expect((await restAccount(created.data!.secret)).status).toBe(200);
  });
});
