'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { signIn, signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, useTransition, type FormEvent } from 'react';

import form from '../../components/form-page.module.css';
import { signInPath } from '../../lib/sign-in-path';
import { acceptInvitation, createAccountAndJoin, type InviteActionResult } from './actions';

type Failure = Extract<InviteActionResult, { ok: false }>['error'] | 'failed' | 'sign_in';

function useFailureText(minPasswordLength: number) {
  const t = useTranslations('Invite');
  return (failure: Failure): string => {
    switch (failure) {
      case 'bad_name':
        return t('errorName');
      case 'bad_password':
        return t('errorPassword', { min: minPasswordLength });
      case 'account_exists':
        return t('errorAccountExists');
      case 'expired':
      case 'used':
      case 'revoked':
      case 'invalid':
        return t(`${failure}Title`);
      case 'wrong_user':
        return t('wrongUserTitle');
      case 'sign_in':
        return t('errorSignIn');
      default:
        return t('errorFailed');
    }
  };
}

/**
 * Someone without an account joins: name and password, the address fixed by the invitation.
 * The server makes the account and the membership together; this then signs them in with the
 * same credentials and opens the plan.
 */
export function CreateAccountForm({
  token,
  email,
  minPasswordLength,
}: {
  token: string;
  email: string;
  minPasswordLength: number;
}) {
  const t = useTranslations('Invite');
  const router = useRouter();
  const failureText = useFailureText(minPasswordLength);
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get('name') ?? '');
    const password = String(data.get('password') ?? '');
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await createAccountAndJoin(token, { name, password });
        if (!result.ok) {
          setFailure(result.error);
          if (['expired', 'used', 'revoked', 'invalid'].includes(result.error)) router.refresh();
          return;
        }
        const signedIn = await signIn<'credentials'>('credentials', {
          email,
          password,
          redirect: false,
        });
        if (!signedIn || signedIn.error) {
          setFailure('sign_in');
          return;
        }
        router.push(`/plans/${encodeURIComponent(result.planSlug)}`);
        router.refresh();
      } catch {
        setFailure('failed');
      }
    });
  }

  return (
    <form
      className={form.form}
      onSubmit={submit}
      aria-busy={pending}
      data-testid="invite-account-form"
    >
      <div className={form.field}>
        <label htmlFor="invite-email">{t('email')}</label>
        <input id="invite-email" type="email" value={email} readOnly autoComplete="username" />
      </div>
      <div className={form.field}>
        <label htmlFor="invite-name">{t('name')}</label>
        <input
          id="invite-name"
          name="name"
          required
          maxLength={100}
          autoComplete="name"
          aria-invalid={failure === 'bad_name' || undefined}
        />
      </div>
      <div className={form.field}>
        <label htmlFor="invite-password">{t('password')}</label>
        <input
          id="invite-password"
          name="password"
          type="password"
          required
          minLength={minPasswordLength}
          maxLength={1024}
          autoComplete="new-password"
          aria-describedby="invite-password-help"
          aria-invalid={failure === 'bad_password' || undefined}
        />
        <span id="invite-password-help" className={form.hint}>
          {t('passwordHelp', { min: minPasswordLength })}
        </span>
      </div>
      <div role="alert" className={form.error}>
        {failure ? failureText(failure) : null}
      </div>
      {failure === 'sign_in' || failure === 'account_exists' ? (
        <Link href={signInPath(`/invite/${token}`)} className="button button-quiet">
          {t('signIn')}
        </Link>
      ) : null}
      <button type="submit" className="button" disabled={pending}>
        {pending ? t('submitting') : t('submitCreate')}
      </button>
    </form>
  );
}

/** The signed-in invitee accepts; an existing member is told their role stays as it is. */
export function AcceptInvite({ token }: { token: string }) {
  const t = useTranslations('Invite');
  const roles = useTranslations('Roles');
  const router = useRouter();
  const failureText = useFailureText(0);
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [kept, setKept] = useState<{ slug: string; role: string } | null>(null);

  function accept() {
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await acceptInvitation(token);
        if (!result.ok) {
          setFailure(result.error);
          return;
        }
        if (result.alreadyMember) {
          setKept({ slug: result.planSlug, role: roles(result.role) });
          return;
        }
        router.push(`/plans/${encodeURIComponent(result.planSlug)}`);
        router.refresh();
      } catch {
        setFailure('failed');
      }
    });
  }

  if (kept) {
    return (
      <div className={form.form} style={{ marginTop: 'var(--space-4)' }}>
        <p role="status" className={form.notice}>
          {t('keptRole', { role: kept.role })}
        </p>
        <div className={form.actions}>
          <Link href={`/plans/${encodeURIComponent(kept.slug)}`} className="button">
            {t('openPlan')}
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className={form.form} style={{ marginTop: 'var(--space-4)' }}>
      <div role="alert" className={form.error}>
        {failure ? failureText(failure) : null}
      </div>
      <div className={form.actions}>
        <button type="button" className="button" disabled={pending} onClick={accept}>
          {pending ? t('submitting') : t('accept')}
        </button>
      </div>
    </div>
  );
}

/** Signs out and comes back to the invitation, to open it as the person it names. */
export function SignOutAndReturn({ callbackPath }: { callbackPath: string }) {
  const t = useTranslations('Invite');
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: callbackPath });
      }}
    >
      {t('signOut')}
    </button>
  );
}
