import { describe, expect, it } from 'vitest';

import {
  canComment,
  canDeleteAnyComment,
  canEditPlan,
  canManagePlan,
  isRole,
  roles,
  type Role,
} from './roles';

describe('roles', () => {
  // The table of DESIGN.md and docs/roles.md.
  it.each<[Role, { edit: boolean; comment: boolean; manage: boolean }]>([
    ['owner', { edit: true, comment: true, manage: true }],
    ['editor', { edit: true, comment: true, manage: false }],
    ['commenter', { edit: false, comment: true, manage: false }],
    ['viewer', { edit: false, comment: false, manage: false }],
  ])('%s', (role, may) => {
    expect(canEditPlan(role)).toBe(may.edit);
    expect(canComment(role)).toBe(may.comment);
    expect(canManagePlan(role)).toBe(may.manage);
    // Deleting others' comments is moderation: the owner's, like managing the plan.
    expect(canDeleteAnyComment(role)).toBe(may.manage);
  });

  it('knows exactly four roles', () => {
    expect(roles).toEqual(['owner', 'editor', 'commenter', 'viewer']);
    for (const role of roles) expect(isRole(role)).toBe(true);
    for (const value of ['Owner', 'admin', '', null, 1]) expect(isRole(value)).toBe(false);
  });
});
