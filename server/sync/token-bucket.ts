/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. One per connection and
 * kind of message, never per address: a campus behind one address is many honest people.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(
    perSecond: number,
    burst: number,
    now: () => number = performance.now.bind(performance),
  ) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.now = now;
    this.updatedAt = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond,
    );
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
