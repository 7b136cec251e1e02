/**
 * Accepting an invitation (`/invite/<token>`). The link is single use: the claim is one
 * conditional UPDATE (`accepted_at is null and revoked_at is null and expires_at > now()`) in the
 * transaction that adds the member, so of two accepts at once exactly one wins, and a failure
 * after the claim leaves the invitation open. The member gets exactly the invitation's role; an
 * existing member keeps theirs. Only the person the invitation names may accept it: a signed-in
 * user with another e-mail address is refused, and a new account takes the invitation's address.
 */
import { z } from 'zod';

import { isLocale } from '../../domain/locales';
import type { OrganisationCode } from '../../domain/organisations';
import type { Role } from '../../domain/roles';
import { getCurrentDatabase, type Database } from '../../db/database';
import { isUniqueViolation } from '../../db/is-unique-violation';
import { claimInvite, findInviteByTokenHash, type InviteWithPlan } from '../../db/queries/invites';
import { addMemberIfAbsent, findMemberRole } from '../../db/queries/members';
import { findUserByEmail, insertUser } from '../../db/queries/users';
import { hashPassword, minPasswordLength } from '../auth/passwords';
import type { SessionUser } from '../auth/session-user';
import { signalMembershipChanged } from '../sync/membership-signal';
import { hashInviteToken, isInviteTokenShape } from './invite-token';

/** Why an invitation cannot be used. "invalid" also covers a token that was never issued. */
export type InviteProblem = 'invalid' | 'expired' | 'used' | 'revoked';

export type InviteView =
  | { state: InviteProblem; planTitle: string | null }
  | {
      /** The viewer accepted it already: the page links to the plan. */
      state: 'accepted';
      planTitle: string;
      planSlug: string;
    }
  | {
      state: 'open';
      planTitle: string;
      planSlug: string;
      email: string;
      role: Role;
      organisation: OrganisationCode | null;
      /** Whether an account with the invited address exists (then: sign in, not sign up). */
      accountExists: boolean;
      /** Signed out, signed in as the invited address, or as someone else. */
      viewer: 'signed_out' | 'invitee' | 'someone_else';
      /** The invitee's role when they are a member already (accepting keeps it). */
      memberRole: Role | null;
    };

function problemOf(invite: InviteWithPlan): InviteProblem | null {
  if (invite.revokedAt) return 'revoked';
  if (invite.acceptedAt) return 'used';
  if (invite.expired) return 'expired';
  return null;
}

async function findInvite(db: Database, token: unknown): Promise<InviteWithPlan | null> {
  if (!isInviteTokenShape(token)) return null;
  return findInviteByTokenHash(db, hashInviteToken(token));
}

/** What the invitation page shows; changes nothing. */
export async function inspectInvite(
  token: unknown,
  viewer: SessionUser | null,
): Promise<InviteView> {
  const { db } = getCurrentDatabase();
  const invite = await findInvite(db, token);
  if (!invite) return { state: 'invalid', planTitle: null };
  const problem = problemOf(invite);
  if (problem === 'used' && viewer && invite.acceptedBy === viewer.id) {
    return { state: 'accepted', planTitle: invite.planTitle, planSlug: invite.planSlug };
  }
  if (problem) return { state: problem, planTitle: invite.planTitle };
  const account = await findUserByEmail(db, invite.email);
  const who = !viewer ? 'signed_out' : viewer.email === invite.email ? 'invitee' : 'someone_else';
  return {
    state: 'open',
    planTitle: invite.planTitle,
    planSlug: invite.planSlug,
    email: invite.email,
    role: invite.role,
    organisation: invite.organisationCode,
    accountExists: account !== null,
    viewer: who,
    memberRole: account ? await findMemberRole(db, invite.planId, account.id) : null,
  };
}

export type AcceptResult =
  | { ok: true; planSlug: string; role: Role; alreadyMember: boolean }
  | { ok: false; problem: InviteProblem | 'wrong_user' | 'account_exists' };

/** Re-reads an invitation a claim failed on, to say why. */
async function whyNot<Fallback extends string>(
  db: Database,
  token: string,
  fallback: Fallback,
): Promise<InviteProblem | Fallback> {
  const invite = await findInvite(db, token);
  return invite ? (problemOf(invite) ?? fallback) : 'invalid';
}

/** The signed-in user accepts: they must be the invited address. */
export async function acceptInvite(user: SessionUser, token: unknown): Promise<AcceptResult> {
  const { db } = getCurrentDatabase();
  const invite = await findInvite(db, token);
  if (!invite || !isInviteTokenShape(token)) return { ok: false, problem: 'invalid' };
  const problem = problemOf(invite);
  if (problem) return { ok: false, problem };
  if (invite.email !== user.email.toLowerCase()) return { ok: false, problem: 'wrong_user' };
  const tokenHash = hashInviteToken(token);
  const outcome = await db.transaction(async (tx) => {
    const claimed = await claimInvite(tx, tokenHash, user.id);
    if (!claimed) return null;
    return addMemberIfAbsent(tx, { planId: claimed.planId, userId: user.id, role: claimed.role });
  });
  if (!outcome) return { ok: false, problem: await whyNot(db, token, 'used') };
  if (!outcome.alreadyMember) signalMembershipChanged(invite.planId);
  return { ok: true, planSlug: invite.planSlug, ...outcome };
}

export const newAccountInput = z.object({
  name: z.string().trim().min(1).max(100),
  password: z.string().min(minPasswordLength).max(1024),
  locale: z.string().max(10).nullable(),
});

/**
 * Someone without an account accepts: the account is made with the invitation's address and
 * organisation, in the transaction that claims the invitation. The caller then signs them in.
 */
export async function acceptInviteWithNewAccount(
  token: unknown,
  input: unknown,
): Promise<AcceptResult | { ok: false; problem: 'bad_input'; field: 'name' | 'password' }> {
  const parsed = newAccountInput.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] === 'name' ? 'name' : 'password';
    return { ok: false, problem: 'bad_input', field };
  }
  const { db } = getCurrentDatabase();
  const invite = await findInvite(db, token);
  if (!invite || !isInviteTokenShape(token)) return { ok: false, problem: 'invalid' };
  const problem = problemOf(invite);
  if (problem) return { ok: false, problem };
  if (await findUserByEmail(db, invite.email)) return { ok: false, problem: 'account_exists' };
  if (!invite.organisationCode) return { ok: false, problem: 'invalid' };
  const organisationCode = invite.organisationCode;
  // Slow on purpose: before the transaction, not while holding it.
  const passwordHash = await hashPassword(parsed.data.password);
  const tokenHash = hashInviteToken(token);
  try {
    const outcome = await db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        email: invite.email,
        name: parsed.data.name,
        organisationCode,
        passwordHash,
        locale: isLocale(parsed.data.locale) ? parsed.data.locale : null,
      });
      const claimed = await claimInvite(tx, tokenHash, user.id);
      // Rolls the account back with it: someone else used the link meanwhile.
      if (!claimed) throw new InviteGone();
      return addMemberIfAbsent(tx, { planId: claimed.planId, userId: user.id, role: claimed.role });
    });
    signalMembershipChanged(invite.planId);
    return { ok: true, planSlug: invite.planSlug, ...outcome };
  } catch (error) {
    if (error instanceof InviteGone) return { ok: false, problem: await whyNot(db, token, 'used') };
    // Two tabs creating the same account at once: the second finds the address taken.
    if (isUniqueViolation(error, 'users_email_unique')) {
      return { ok: false, problem: await whyNot(db, token, 'account_exists') };
    }
    throw error;
  }
}

class InviteGone extends Error {}
