'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';

import type { OrganisationCode } from '../../../../domain/organisations';
import type { Role } from '../../../../domain/roles';
import form from '../../../components/form-page.module.css';
import { revokeInvitation } from './actions';
import styles from './members.module.css';

export interface PendingInviteView {
  id: string;
  email: string;
  role: Role;
  organisation: OrganisationCode | null;
  invitedBy: string | null;
  /** Already formatted for the reader's language. */
  expires: string;
}

/** Invitations not yet accepted; revoking one makes its link stop working at once. */
export function PendingInvites({ slug, invites }: { slug: string; invites: PendingInviteView[] }) {
  const t = useTranslations('Members');
  const roleNames = useTranslations('Roles');
  const organisations = useTranslations('Organisations');
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ kind: 'notice' | 'error'; text: string } | null>(null);

  function revoke(invite: PendingInviteView) {
    setMessage(null);
    startTransition(async () => {
      try {
        const result = await revokeInvitation({ slug, inviteId: invite.id });
        setMessage(
          result.ok
            ? { kind: 'notice', text: t('revoked', { email: invite.email }) }
            : { kind: 'error', text: result.error === 'forbidden' ? t('forbidden') : t('failed') },
        );
        router.refresh();
      } catch {
        setMessage({ kind: 'error', text: t('failed') });
      }
    });
  }

  return (
    <section className={form.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={form.panelTitle}>
        {t('pendingTitle')}
      </h2>
      <div role="status" className={message?.kind === 'error' ? form.error : form.notice}>
        {message?.text}
      </div>
      {invites.length === 0 ? (
        <p className={form.hint}>{t('pendingEmpty')}</p>
      ) : (
        <ul className={styles.invites} data-testid="pending-invites" aria-busy={pending}>
          {invites.map((invite) => (
            <li key={invite.id} className={styles.invite} data-testid="pending-invite">
              <span>
                <span className={styles.inviteEmail}>{invite.email}</span>
                <br />
                <span className={styles.inviteMeta}>
                  {t('pendingMeta', {
                    role: roleNames(invite.role),
                    organisation: invite.organisation
                      ? organisations(`${invite.organisation}.short`)
                      : '—',
                    name: invite.invitedBy ?? t('someone'),
                    date: invite.expires,
                  })}
                </span>
              </span>
              <button
                type="button"
                className={`button button-quiet ${form.dangerButton}`}
                aria-label={t('revokeOf', { email: invite.email })}
                disabled={pending}
                onClick={() => revoke(invite)}
              >
                {t('revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
