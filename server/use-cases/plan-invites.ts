/** An owner's view of a plan's pending invitations, and revoking one. */
import { z } from 'zod';

import { DomainError } from '../../domain/domain-error';
import { getCurrentDatabase } from '../../db/database';
import { revokeInvite } from '../../db/queries/invites';
import { requirePlanOwner } from './require-plan-owner';

const revokeInviteInput = z.object({ slug: z.string().min(1).max(64), inviteId: z.uuid() });

/** Revokes a pending invitation: its link stops working at once. False if it was not pending. */
export async function revokePlanInvite(userId: string, input: unknown): Promise<boolean> {
  const parsed = revokeInviteInput.safeParse(input);
  if (!parsed.success) throw new DomainError('bad_request', 'invalid invitation');
  const access = await requirePlanOwner(parsed.data.slug, userId);
  return revokeInvite(getCurrentDatabase().db, access.plan.id, parsed.data.inviteId);
}
