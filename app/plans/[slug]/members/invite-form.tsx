'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState, useTransition, type FormEvent } from 'react';

import type { OrganisationCode } from '../../../../domain/organisations';
import { roles, type Role } from '../../../../domain/roles';
import form from '../../../components/form-page.module.css';
import { inviteMember } from './actions';

interface Created {
  email: string;
  role: Role;
  url: string;
  mailed: boolean;
}

/**
 * An owner invites someone by e-mail with a role. The link comes back once, to copy: only its
 * hash is stored, so it cannot be shown again later.
 */
export function InviteForm({
  slug,
  organisations,
  defaultOrganisation,
  publicOrigin,
}: {
  slug: string;
  organisations: OrganisationCode[];
  defaultOrganisation: OrganisationCode;
  /** COPLAN_PUBLIC_URL's origin: the invitation is opened by someone else. */
  publicOrigin: string;
}) {
  const t = useTranslations('Members');
  const roleNames = useTranslations('Roles');
  const organisationNames = useTranslations('Organisations');
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    setError(null);
    setCopied(null);
    startTransition(async () => {
      try {
        const result = await inviteMember({
          slug,
          email: String(data.get('email') ?? ''),
          role: String(data.get('role') ?? ''),
          organisation: String(data.get('organisation') ?? ''),
        });
        if (!result.ok) {
          setError(
            result.error === 'invalid'
              ? t('invalidEmail')
              : result.error === 'forbidden'
                ? t('forbidden')
                : t('failed'),
          );
          return;
        }
        setCreated({
          email: result.invite.email,
          role: result.invite.role,
          url: new URL(result.invite.path, publicOrigin).href,
          mailed: result.invite.mailed,
        });
        formElement.reset();
        router.refresh();
      } catch {
        setError(t('failed'));
      }
    });
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section className={form.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={form.panelTitle}>
        {t('inviteTitle')}
      </h2>
      <form className={form.form} onSubmit={submit} aria-busy={pending} data-testid="invite-form">
        <div className={form.row}>
          <div className={form.field}>
            <label htmlFor={`${id}-email`}>{t('inviteEmail')}</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={error === t('invalidEmail') || undefined}
            />
          </div>
          <div className={form.field}>
            <label htmlFor={`${id}-role`}>{t('inviteRole')}</label>
            <select id={`${id}-role`} name="role" defaultValue="editor">
              {roles.map((role) => (
                <option key={role} value={role}>
                  {roleNames(role)} — {t(`roleHelp${role}`)}
                </option>
              ))}
            </select>
          </div>
          <div className={form.field}>
            <label htmlFor={`${id}-organisation`}>{t('inviteOrganisation')}</label>
            <select
              id={`${id}-organisation`}
              name="organisation"
              defaultValue={defaultOrganisation}
              aria-describedby={`${id}-organisation-help`}
            >
              {organisations.map((code) => (
                <option key={code} value={code}>
                  {organisationNames(`${code}.name`)}
                </option>
              ))}
            </select>
            <span id={`${id}-organisation-help`} className={form.hint}>
              {t('inviteOrganisationHelp')}
            </span>
          </div>
        </div>
        <div role="alert" className={form.error}>
          {error}
        </div>
        <div className={form.actions}>
          <button type="submit" className="button" disabled={pending}>
            {pending ? t('inviteSubmitting') : t('inviteSubmit')}
          </button>
        </div>
      </form>
      {created ? (
        <div className={form.created} data-testid="invite-created" role="status">
          <h3 className={form.createdTitle}>
            {t('inviteCreated', { email: created.email, role: roleNames(created.role) })}
          </h3>
          <p>{t('inviteCreatedText')}</p>
          <div className={form.linkBox}>
            <input
              readOnly
              value={created.url}
              aria-label={t('inviteLink')}
              data-testid="invite-link"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button type="button" className="button" onClick={() => void copy(created.url)}>
              {copied === 'yes' ? t('copied') : t('copy')}
            </button>
          </div>
          {copied === 'failed' ? <p className={form.hint}>{t('copyFailed')}</p> : null}
          <p className={form.hint}>
            {created.mailed ? t('inviteMailed', { email: created.email }) : t('inviteNotMailed')}
          </p>
        </div>
      ) : null}
    </section>
  );
}
