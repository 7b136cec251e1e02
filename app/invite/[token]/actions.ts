'use server';

/**
 * Accepting an invitation. The session (or its absence) is read here, on the server; the token is
 * checked by the use case, which also fixes the role and the e-mail address.
 */
import { getLocale } from 'next-intl/server';

import type { Role } from '../../../domain/roles';
import { getCurrentUser } from '../../../server/auth/current-user';
import { acceptInvite, acceptInviteWithNewAccount } from '../../../server/use-cases/accept-invite';

export type InviteActionResult =
  | { ok: true; planSlug: string; role: Role; alreadyMember: boolean; email?: string }
  | {
      ok: false;
      error:
        | 'unauthenticated'
        | 'invalid'
        | 'expired'
        | 'used'
        | 'revoked'
        | 'wrong_user'
        | 'account_exists'
        | 'bad_name'
        | 'bad_password';
    };

/** The signed-in invitee accepts. */
export async function acceptInvitation(token: string): Promise<InviteActionResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  const result = await acceptInvite(user, token);
  return result.ok ? result : { ok: false, error: result.problem };
}

/** Someone signed out, without an account, creates one and joins; the page then signs them in. */
export async function createAccountAndJoin(
  token: string,
  input: { name: string; password: string },
): Promise<InviteActionResult> {
  // One account per person: a signed-in visitor accepts as themselves, or signs out first.
  if (await getCurrentUser()) return { ok: false, error: 'wrong_user' };
  const result = await acceptInviteWithNewAccount(token, {
    name: typeof input?.name === 'string' ? input.name : '',
    password: typeof input?.password === 'string' ? input.password : '',
    locale: await getLocale(),
  });
  if (result.ok) return result;
  if (result.problem === 'bad_input') {
    return { ok: false, error: result.field === 'name' ? 'bad_name' : 'bad_password' };
  }
  return { ok: false, error: result.problem };
}
