'use server';

/**
 * The members page's commands. Each checks the session and the caller's role on the server (in
 * the use case); the browser's idea of who may do what is never trusted.
 */
import { getLocale } from 'next-intl/server';

import { isDomainError } from '../../../../domain/domain-error';
import { isLocale, defaultLocale } from '../../../../domain/locales';
import type { Role } from '../../../../domain/roles';
import { getCurrentUser } from '../../../../server/auth/current-user';
import { changeMember } from '../../../../server/use-cases/change-membership';
import { createInvite, type CreatedInvite } from '../../../../server/use-cases/create-invite';
import { revokePlanInvite } from '../../../../server/use-cases/plan-invites';

export type MembersActionError =
  'unauthenticated' | 'forbidden' | 'invalid' | 'last_owner' | 'not_member';

type Result<T> = ({ ok: true } & T) | { ok: false; error: MembersActionError };

function failure(error: unknown): { ok: false; error: MembersActionError } {
  if (isDomainError(error)) {
    if (error.code === 'forbidden' || error.code === 'not_found') {
      return { ok: false, error: 'forbidden' };
    }
    if (error.code === 'bad_request') return { ok: false, error: 'invalid' };
  }
  // Anything else is a bug or an outage: Next logs it, and the page says it did not work.
  throw error;
}

export async function inviteMember(input: {
  slug: string;
  email: string;
  role: string;
  organisation: string;
}): Promise<Result<{ invite: Omit<CreatedInvite, 'id'> }>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  try {
    const locale = await getLocale();
    const { id, ...invite } = await createInvite(user, input, {
      locale: isLocale(locale) ? locale : defaultLocale,
    });
    void id;
    return { ok: true, invite };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeInvitation(input: {
  slug: string;
  inviteId: string;
}): Promise<Result<{ revoked: boolean }>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  try {
    return { ok: true, revoked: await revokePlanInvite(user.id, input) };
  } catch (error) {
    return failure(error);
  }
}

export async function setMemberRole(input: {
  slug: string;
  userId: string;
  role: Role | null;
}): Promise<Result<{ previousRole: Role }>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  try {
    const result = await changeMember(user.id, input);
    return result.ok ? result : { ok: false, error: result.problem };
  } catch (error) {
    return failure(error);
  }
}
