// A per-key token bucket: `perMinute` requests may come in one burst, then one more every
// 60/perMinute seconds. Fed by a key (an API key id) and a clock; returns allow, or the wait in seconds.
// In memory: each web process counts on its own (documented in README, Configuration).

export interface TokenBucketOptions {
  /** Requests allowed per minute per key, and the burst size; 0 disables the limit. */
  perMinute: number;
  /** Buckets kept before full (idle) ones are dropped; bounds memory under many keys. */
  maxKeys?: number;
  now?: () => number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.perMs = options.perMinute / 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  take(key: string): TakeResult {
    const capacity = this.options.perMinute;
    if (capacity <= 0) return { allowed: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.dropIdle();
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** A bucket that has refilled completely is the same as no bucket. */
  private dropIdle(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.perMinute) this.buckets.delete(key);
    }
  }
}
