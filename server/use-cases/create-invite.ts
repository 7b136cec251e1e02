/**
 * An owner invites someone by e-mail with a role: a single-use link, valid for seven days, shown
 * once to copy and, with SMTP_URL, mailed, in the invitee's language when they already have an
 * account that chose one, else in the inviter's.
 */
import { createTranslator } from 'next-intl';
import { z } from 'zod';

import { DomainError } from '../../domain/domain-error';
import { isLocale, type Locale } from '../../domain/locales';
import { organisationCodes, type OrganisationCode } from '../../domain/organisations';
import { roles, type Role } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { insertInvite } from '../../db/queries/invites';
import { findUserByEmail } from '../../db/queries/users';
import { escapeHtml, getCurrentMailer, type Mailer } from '../mail/mailer';
import { invitePath, newInviteToken } from './invite-token';
import { requirePlanOwner } from './require-plan-owner';

export const inviteLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export const createInviteInput = z.object({
  slug: z.string().min(1).max(64),
  email: z.string().trim().toLowerCase().email().max(254),
  role: z.enum(roles),
  organisation: z.enum(organisationCodes),
});

export interface CreatedInvite {
  id: string;
  email: string;
  role: Role;
  /** The token, shown once: only its hash is kept. */
  token: string;
  path: string;
  expiresAt: string;
  /** Whether an e-mail went out (SMTP_URL set and the server took it). */
  mailed: boolean;
}

export async function createInvite(
  inviter: { id: string; name: string },
  input: unknown,
  options: { locale: Locale },
): Promise<CreatedInvite> {
  const parsed = createInviteInput.safeParse(input);
  if (!parsed.success) {
    throw new DomainError('bad_request', parsed.error.issues[0]?.message ?? 'invalid invitation');
  }
  const { slug, email, role, organisation } = parsed.data;
  const access = await requirePlanOwner(slug, inviter.id);
  const { db } = getCurrentDatabase();
  const { token, tokenHash } = newInviteToken();
  const invite = await insertInvite(db, {
    planId: access.plan.id,
    email,
    role,
    organisationCode: organisation,
    tokenHash,
    invitedBy: inviter.id,
    expiresAt: new Date(Date.now() + inviteLifetimeMs),
  });
  const mailer = getCurrentMailer();
  let mailed = false;
  if (mailer) {
    const existing = await findUserByEmail(db, email);
    const locale = isLocale(existing?.locale) ? existing.locale : options.locale;
    try {
      await mailer.send(
        composeInviteMail(mailer, locale, {
          to: email,
          inviter: inviter.name,
          plan: access.plan.title,
          role,
          organisation,
          url: new URL(invitePath(token), mailer.publicUrl).href,
          expiresAt: invite.expiresAt,
        }),
      );
      mailed = true;
    } catch {
      // The link is on the owner's screen to copy; the page says it was not mailed.
      mailed = false;
    }
  }
  return {
    id: invite.id,
    email,
    role,
    token,
    path: invitePath(token),
    expiresAt: invite.expiresAt.toISOString(),
    mailed,
  };
}

type InviteMessages = {
  Invite: Record<
    | 'mailSubject'
    | 'mailGreeting'
    | 'mailBody'
    | 'mailOpen'
    | 'mailOpenLink'
    | 'mailExpires'
    | 'mailIgnore',
    string
  >;
  Roles: Record<Role, string>;
  Organisations: Record<OrganisationCode, { short: string; name: string }>;
};

function composeInviteMail(
  mailer: Mailer,
  locale: Locale,
  details: {
    to: string;
    inviter: string;
    plan: string;
    role: Role;
    organisation: OrganisationCode;
    url: string;
    expiresAt: Date;
  },
) {
  const messages = mailer.messages(locale) as InviteMessages;
  const t = createTranslator({ locale, messages, namespace: 'Invite' });
  const role = messages.Roles[details.role];
  const organisation = messages.Organisations[details.organisation].name;
  const expires = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    details.expiresAt,
  );
  const lines = [
    t('mailGreeting'),
    t('mailBody', { inviter: details.inviter, plan: details.plan, role, organisation }),
    t('mailExpires', { date: expires }),
    t('mailIgnore'),
  ];
  const text = [
    lines[0],
    '',
    lines[1],
    '',
    t('mailOpen', { url: details.url }),
    '',
    lines[2],
    lines[3],
  ].join('\n');
  const html = [
    `<p>${escapeHtml(lines[0] ?? '')}</p>`,
    `<p>${escapeHtml(lines[1] ?? '')}</p>`,
    `<p><a href="${escapeHtml(details.url)}">${escapeHtml(t('mailOpenLink'))}</a></p>`,
    `<p style="color:#555">${escapeHtml(lines[2] ?? '')}<br>${escapeHtml(lines[3] ?? '')}</p>`,
  ].join('\n');
  return {
    to: details.to,
    subject: t('mailSubject', { plan: details.plan }),
    text,
    html: `<!doctype html><html lang="${locale}"><body>${html}</body></html>`,
  };
}
