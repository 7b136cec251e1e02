/**
 * A token bucket per client address, for the public share pages: they need no account, so the
 * address is all there is to tell callers apart. The limits are generous (a campus behind one
 * address is many honest readers); they stop a script, not a class. Buckets of addresses that
 * went quiet are dropped, so memory stays bounded by recent callers.
 */
import { TokenBucket } from '../sync/token-bucket';

export interface AddressRateLimitOptions {
  /** Requests refilled per second per address. */
  perSecond: number;
  /** Requests an address may make at once. */
  burst: number;
}

export const defaultShareRateLimit: AddressRateLimitOptions = { perSecond: 2, burst: 60 };

export class AddressRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>();
  private readonly options: AddressRateLimitOptions;
  private lastSweep = Date.now();

  constructor(options: AddressRateLimitOptions) {
    this.options = options;
  }

  /** Takes one request's token; the seconds to wait (Retry-After) when there is none. */
  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = Date.now();
    this.sweep(now);
    let entry = this.buckets.get(address);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.options.perSecond, this.options.burst), seenAt: now };
      this.buckets.set(address, entry);
    }
    entry.seenAt = now;
    if (entry.bucket.take()) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(1 / this.options.perSecond)) };
  }

  /** Forgets addresses silent long enough for their bucket to be full again. */
  private sweep(now: number): void {
    const refillMs = (this.options.burst / this.options.perSecond) * 1000;
    if (now - this.lastSweep < refillMs) return;
    this.lastSweep = now;
    for (const [address, entry] of this.buckets) {
      if (now - entry.seenAt >= refillMs) this.buckets.delete(address);
    }
  }
}
