import { describe, expect, it } from 'vitest';

import { derivePlanSlug } from './plan-slug';
import { isPlanSlug } from './sync-protocol';

describe('derivePlanSlug', () => {
  it('turns a title into a short address', () => {
    expect(derivePlanSlug('HTC–NPIA Cooperation Plan 2024–2025')).toBe(
      'htc-npia-cooperation-plan-2024-2025',
    );
    expect(derivePlanSlug('  Coopération   technique!  ')).toBe('cooperation-technique');
  });

  it('falls back to the period for titles without Latin letters', () => {
    const period = { start: '2024-01-01', end: '2025-12-31' };
    expect(derivePlanSlug('海南—吴哥合作计划', period)).toBe('plan-2024-2025');
    expect(derivePlanSlug('ផែនការសហប្រតិបត្តិការ', period)).toBe('plan-2024-2025');
    expect(derivePlanSlug('合作')).toBe('');
  });

  it('keeps to 64 characters and never ends with a hyphen', () => {
    const slug = derivePlanSlug(`${'a'.repeat(63)} b c d`);
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(isPlanSlug(slug)).toBe(true);
  });

  it('one character is too short for the pattern and falls back', () => {
    expect(derivePlanSlug('A', { start: '2024-01-01', end: '2024-12-31' })).toBe('plan-2024-2024');
  });
});
