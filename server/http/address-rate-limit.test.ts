import { describe, expect, it } from 'vitest';

import { AddressRateLimit } from './address-rate-limit';

describe('AddressRateLimit', () => {
  it('allows a burst per address, then one per interval, and tells how long to wait', () => {
    let now = 0;
    const limit = new AddressRateLimit({ perSecond: 0.5, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limit.take('10.0.0.1').ok)).toEqual([true, true, true]);
    expect(limit.take('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 2 });
    // Another address has its own bucket.
    expect(limit.take('10.0.0.2').ok).toBe(true);
    now += 2000;
    expect(limit.take('10.0.0.1').ok).toBe(true);
    expect(limit.take('10.0.0.1').ok).toBe(false);
  });
});
