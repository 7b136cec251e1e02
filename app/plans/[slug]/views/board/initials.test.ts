import { describe, expect, it } from 'vitest';

import { initials } from './initials';

describe('initials', () => {
  it('takes the first letters of two words, or one character of a name without spaces', () => {
    expect(initials('Sok Dara')).toBe('SD');
    expect(initials('chen jing wei')).toBe('CJ');
    expect(initials('张伟')).toBe('张');
    expect(initials('  ')).toBe('?');
    expect(initials('😀 Smile')).toBe('😀S');
  });
});
