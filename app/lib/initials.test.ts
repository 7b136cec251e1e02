import { describe, expect, it } from 'vitest';

import { initials } from './initials';

describe('initials', () => {
  it.each([
    ['Sok Dara', 'SD'],
    ['li wei', 'LW'],
    ['Chan Sophea Mony', 'CM'],
    ['王小明', '小明'],
    ['李娜', '李娜'],
    ['Madonna', 'M'],
    ['  ', '?'],
  ])('%j → %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });

  it('keeps a Khmer consonant with its signs', () => {
    expect(initials('សុខ ដារា')).toBe('សុដា');
  });
});
