// Unit tests for webhook signing: a known vector recomputed here with node:crypto independently of
// the module, then the ways a verification must fail (tampered body, wrong secret, stale or future
// timestamp, malformed header) and the ways it must still pass (raw bytes, several v1 entries).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature';

const SECRET = 'whsec_test_secret';
const T = 1_764_331_200;
const BODY = JSON.stringify({ event: 'job.completed', job_id: 'job_123', outputs: [{ url: 'https://example.com/a.mp4' }] });
const EXPECTED_HMAC = createHmac('sha256', SECRET).update(`${T}.${BODY}`, 'utf8').digest('hex');

describe('signWebhook', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in the t=…,v1=… form', () => {
    expect(signWebhook(SECRET, T, BODY)).toBe(`t=${T},v1=${EXPECTED_HMAC}`);
  });

  it('signs the same bytes whether given a string or a buffer', () => {
    const unicode = '{"title":"café ☕"}';
    expect(signWebhook(SECRET, T, Buffer.from(unicode, 'utf8'))).toBe(signWebhook(SECRET, T, unicode));
  });

  it('refuses a timestamp that is not whole, non-negative seconds', () => {
    expect(() => signWebhook(SECRET, 1.5, BODY)).toThrow(RangeError);
    expect(() => signWebhook(SECRET, -1, BODY)).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  const header = `t=${T},v1=${EXPECTED_HMAC}`;
  const at = { now: T + 10 };

  it('accepts the genuine signature', () => {
    expect(verifyWebhook(SECRET, header, BODY, at)).toBe(true);
    expect(verifyWebhook(SECRET, header, Buffer.from(BODY), at)).toBe(true);
    expect(verifyWebhook(SECRET, `t=${T},v1=${EXPECTED_HMAC.toUpperCase()}`, BODY, at)).toBe(true);
  });

  it('rejects a tampered body and a wrong secret', () => {
    expect(verifyWebhook(SECRET, header, BODY.replace('job_123', 'job_124'), at)).toBe(false);
    expect(verifyWebhook(SECRET, header, `${BODY} `, at)).toBe(false);
    expect(verifyWebhook('another_secret', header, BODY, at)).toBe(false);
  });

  it('rejects a signature older or newer than the tolerance, which stops replays', () => {
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 301 })).toBe(false);
    expect(verifyWebhook(SECRET, header, BODY, { now: T - 301 })).toBe(false);
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 300 })).toBe(true);
    expect(verifyWebhook(SECRET, header, BODY, { now: T + 3000, toleranceSeconds: 3600 })).toBe(true);
  });

  it('checks the clock by default', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(SECRET, signWebhook(SECRET, now, BODY), BODY)).toBe(true);
    expect(verifyWebhook(SECRET, signWebhook(SECRET, now - 3600, BODY), BODY)).toBe(false);
  });

  it('rejects a timestamp changed after signing', () => {
    expect(verifyWebhook(SECRET, `t=${T + 1},v1=${EXPECTED_HMAC}`, BODY, at)).toBe(false);
  });

  it('accepts any matching v1 entry, as during a secret rotation', () => {
    const old = createHmac('sha256', 'old_secret').update(`${T}.${BODY}`).digest('hex');
    expect(verifyWebhook(SECRET, `t=${T},v1=${old},v1=${EXPECTED_HMAC}`, BODY, at)).toBe(true);
  });

  it.each([
    ['an empty header', ''],
    ['no timestamp', `v1=${EXPECTED_HMAC}`],
    ['no signature', `t=${T}`],
    ['a short signature', `t=${T},v1=${EXPECTED_HMAC.slice(0, 62)}`],
    ['a non-hex signature', `t=${T},v1=${'z'.repeat(64)}`],
    ['an unknown scheme only', `t=${T},v0=${EXPECTED_HMAC}`],
    ['a non-numeric timestamp', `t=abc,v1=${EXPECTED_HMAC}`],
  ])('rejects %s', (_name, value) => {
    expect(verifyWebhook(SECRET, value, BODY, at)).toBe(false);
  });
});
