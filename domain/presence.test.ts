import { describe, expect, it } from 'vitest';

import { clientPresenceInput, colorForUser, presenceStateSchema } from './presence';

describe('colorForUser', () => {
  const userIds = Array.from({ length: 50 }, (_, index) => `user-${index}`);

  it('is the same for the same user, every time', () => {
    for (const id of userIds) expect(colorForUser(id)).toBe(colorForUser(`${id}`));
    expect(colorForUser('9b2f3c1e-5a4d-4e8f-9b1a-2c3d4e5f6a7b')).toBe(
      colorForUser('9b2f3c1e-5a4d-4e8f-9b1a-2c3d4e5f6a7b'),
    );
  });

  it('is a colour the presence schema accepts', () => {
    for (const id of [...userIds, '', '用户', 'x'.repeat(10_000)]) {
      expect(colorForUser(id)).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('spreads users over several colours', () => {
    expect(new Set(userIds.map(colorForUser)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('presence schemas', () => {
  const user = { id: 'u1', name: 'Sok Dara', organisation: 'NPIA', color: colorForUser('u1') };

  it('accept the state the server builds', () => {
    expect(presenceStateSchema.safeParse({ user, focus: 'item-1' }).success).toBe(true);
    expect(presenceStateSchema.safeParse({ user, focus: null }).success).toBe(true);
  });

  it('keep only a well-formed focus from a client', () => {
    expect(clientPresenceInput.parse({ focus: 'item-1' })).toEqual({ focus: 'item-1' });
    expect(clientPresenceInput.parse({ focus: '<img src=x>' })).toEqual({ focus: null });
    expect(clientPresenceInput.parse({ focus: 'x'.repeat(65) })).toEqual({ focus: null });
    expect(clientPresenceInput.parse({})).toEqual({ focus: null });
  });

  it('drop user fields a client sends', () => {
    expect(clientPresenceInput.parse({ focus: null, user: { name: 'Admin' } })).toEqual({
      focus: null,
    });
  });
});
