/**
 * Token buckets per client address, for the routes that answer without a session: the public
 * share pages and the calendar feeds. The address is all there is to tell those callers apart,
 * and it is what a guesser of secrets meets. The limits are generous (a campus behind one
 * address is many honest readers, and a calendar app refreshes a feed every few minutes to
 * hours); they stop a script, not a class. Buckets of addresses unseen for long enough to be full
 * again are dropped, so memory stays bounded by recent callers.
 */
import { TokenBucket } from '../sync/token-bucket';

export interface AddressRateLimitOptions {
  /** Requests refilled per second per address. */
  perSecond: number;
  /** Requests an address may make at once. */
  burst: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

export const defaultShareRateLimit: AddressRateLimitOptions = { perSecond: 2, burst: 60 };

export class AddressRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>();
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(options: AddressRateLimitOptions) {
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.now = options.now ?? (() => performance.now());
    this.lastSweep = this.now();
  }

  /** Takes one request's token; when there is none, the seconds to wait (Retry-After). */
  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    this.sweep(now);
    let entry = this.buckets.get(address);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.perSecond, this.burst, this.now), seenAt: now };
      this.buckets.set(address, entry);
    }
    entry.seenAt = now;
    if (entry.bucket.take()) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(1 / this.perSecond)) };
  }

  /** Forgets addresses silent long enough for their bucket to be full again. */
  private sweep(now: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    if (now - this.lastSweep < refillMs) return;
    this.lastSweep = now;
    for (const [address, entry] of this.buckets) {
      if (now - entry.seenAt >= refillMs) this.buckets.delete(address);
    }
  }
}
