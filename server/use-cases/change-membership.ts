/**
 * An owner changes a member's role or removes them. Both go through plan_members in one
 * transaction that keeps at least one owner (db/queries/members.ts, `changeMembership`); open
 * sync and socket.io connections follow at once in this process (membership-signal.ts) and at the
 * next poll elsewhere.
 */
import { z } from 'zod';

import { DomainError } from '../../domain/domain-error';
import { roles, type Role } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { changeMembership } from '../../db/queries/members';
import { signalMembershipChanged } from '../sync/membership-signal';
import { getPlanAccess } from './get-plan-access';

export const changeMemberInput = z.object({
  slug: z.string().min(1).max(64),
  userId: z.uuid(),
  role: z.enum(roles).nullable(),
});

export type ChangeMemberResult =
  { ok: true; previousRole: Role } | { ok: false; problem: 'last_owner' | 'not_member' };

/** `role` null removes the member. Throws forbidden for a caller who is not an owner. */
export async function changeMember(actorId: string, input: unknown): Promise<ChangeMemberResult> {
  const parsed = changeMemberInput.safeParse(input);
  if (!parsed.success) throw new DomainError('bad_request', 'invalid member change');
  const { slug, userId, role } = parsed.data;
  const access = await getPlanAccess(slug, actorId);
  const result = await changeMembership(getCurrentDatabase().db, {
    planId: access.plan.id,
    actorId,
    userId,
    role,
  });
  if (!result.ok) {
    if (result.reason === 'not_owner') {
      throw new DomainError('forbidden', 'only an owner of the plan may manage its members');
    }
    return { ok: false, problem: result.reason };
  }
  if (result.previousRole !== role) signalMembershipChanged(access.plan.id);
  return result;
}
