'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition, type FormEvent } from 'react';

import form from '../../components/form-page.module.css';
import { changeMyPassword } from './actions';

type Failure = 'wrongCurrent' | 'tooShort' | 'failed';

/**
 * Current and new password. On success every session has ended, this one included, so the page
 * goes to sign-in with a note saying why.
 */
export function ChangePasswordForm({ email, minLength }: { email: string; minLength: number }) {
  const t = useTranslations('Account');
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    if (newPassword.length < minLength) {
      setFailure('tooShort');
      return;
    }
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await changeMyPassword({ currentPassword, newPassword });
        if (result.ok || result.error === 'unauthenticated') {
          const target = new URL('/sign-in', window.location.origin);
          target.searchParams.set('email', email);
          if (result.ok) target.searchParams.set('changed', 'password');
          // A full load: the old session cookie is worthless now.
          window.location.assign(target.href);
          return;
        }
        setFailure(
          result.error === 'wrong_current_password'
            ? 'wrongCurrent'
            : result.error === 'too_short'
              ? 'tooShort'
              : 'failed',
        );
      } catch {
        setFailure('failed');
      }
    });
  }

  return (
    <form className={`${form.form} ${form.panel}`} onSubmit={submit} aria-busy={pending}>
      {/* For password managers: whose password this is. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className={form.field}>
        <label htmlFor="current-password">{t('currentPassword')}</label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={failure === 'wrongCurrent' || undefined}
          aria-describedby={failure ? 'change-password-error' : undefined}
        />
      </div>
      <div className={form.field}>
        <label htmlFor="new-password">{t('newPassword')}</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={minLength}
          required
          aria-invalid={failure === 'tooShort' || undefined}
          aria-describedby={`new-password-hint${failure ? ' change-password-error' : ''}`}
        />
        <span id="new-password-hint" className={form.hint}>
          {t('newPasswordHint', { min: minLength })}
        </span>
      </div>
      <div id="change-password-error" role="alert" className={form.error}>
        {failure === 'tooShort'
          ? t('tooShort', { min: minLength })
          : failure === 'wrongCurrent'
            ? t('wrongCurrent')
            : failure === 'failed'
              ? t('failed')
              : null}
      </div>
      <div className={form.actions}>
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('submitting') : t('submit')}
        </button>
      </div>
    </form>
  );
}
