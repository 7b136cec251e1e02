import { describe, expect, it } from 'vitest';

import { AddressRateLimit } from './address-rate-limit';

describe('AddressRateLimit', () => {
  it('lets each address use its burst, then refuses with a Retry-After, per address', () => {
    const limit = new AddressRateLimit({ perSecond: 0.5, burst: 3 });
    expect([1, 2, 3].map(() => limit.take('10.0.0.1').ok)).toEqual([true, true, true]);
    expect(limit.take('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 2 });
    // Another address has a bucket of its own.
    expect(limit.take('10.0.0.2').ok).toBe(true);
  });
});
