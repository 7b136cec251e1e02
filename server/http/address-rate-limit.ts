import { TokenBucket } from '../sync/token-bucket';

/**
 * Token buckets per client address, for the few routes that answer without a session (calendar
 * feeds): what a guesser of secrets meets. A calendar app refreshes a feed every few minutes to
 * hours, so an honest campus behind one address stays far below the rate. Buckets of addresses
 * unseen for a while are dropped, so the map stays small.
 */
export class AddressRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>();
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(options: { perSecond: number; burst: number; now?: () => number }) {
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes one token for the address; when empty, how many seconds until one is back. */
  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    let entry = this.buckets.get(address);
    if (!entry) {
      if (this.buckets.size >= 10_000) this.prune(now);
      entry = { bucket: new TokenBucket(this.perSecond, this.burst, this.now), seenAt: now };
      this.buckets.set(address, entry);
    }
    entry.seenAt = now;
    if (entry.bucket.take()) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(1 / this.perSecond)) };
  }

  /** Drops buckets idle long enough to be full again (they would behave as new ones). */
  private prune(now: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    for (const [address, entry] of this.buckets) {
      if (now - entry.seenAt > refillMs) this.buckets.delete(address);
    }
  }
}
