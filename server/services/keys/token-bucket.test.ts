// The token bucket with a hand-driven clock: burst, refill, Retry-After rounding, per-key isolation,
// the "0 disables" switch and the idle-bucket pruning.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

function bucket(perMinute: number, maxKeys?: number) {
  let t = 1_000_000;
  const limiter = new TokenBucket({ perMinute, maxKeys, now: () => t });
  return { limiter, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst of perMinute, then asks to wait for the next token', () => {
    const { limiter } = bucket(5);
    for (let i = 0; i < 5; i++) expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 12 });
  });

  it('refills at perMinute/60 per second and rounds the wait up', () => {
    const { limiter, advance } = bucket(60);
    for (let i = 0; i < 60; i++) limiter.take('k');
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(999);
    expect(limiter.take('k').allowed).toBe(false);
    advance(1);
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('never refills beyond the burst size', () => {
    const { limiter, advance } = bucket(3);
    advance(3_600_000);
    for (let i = 0; i < 3; i++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('counts each key on its own', () => {
    const { limiter } = bucket(1);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('allows everything when perMinute is 0', () => {
    const { limiter } = bucket(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('k').allowed).toBe(true);
  });

  it('prunes only refilled buckets when it holds maxKeys: a key still counting keeps its count', () => {
    const { limiter, advance } = bucket(2, 2);
    limiter.take('idle');
    limiter.take('busy');
    limiter.take('busy');
    advance(30_000); // idle is full again, busy has 1 token
    limiter.take('new');
    expect(limiter.take('busy')).toEqual({ allowed: true });
    expect(limiter.take('busy').allowed).toBe(false);
  });
});
