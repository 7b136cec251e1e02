'use client';

import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';

import { safeCallbackPath } from '../lib/safe-callback-path';
import styles from './sign-in.module.css';

type Failure =
  | { kind: 'wrongCredentials' | 'failed' | 'network' }
  | { kind: 'tooManyAttempts'; minutes: number };

/** The server holds an account or address after too many failures: `TooManyAttempts:<seconds>`. */
function readFailure(error: string | null | undefined): Failure {
  if (error === 'CredentialsSignin') return { kind: 'wrongCredentials' };
  const seconds = /^TooManyAttempts:(\d+)$/.exec(error ?? '')?.[1];
  if (seconds)
    return { kind: 'tooManyAttempts', minutes: Math.max(1, Math.ceil(Number(seconds) / 60)) };
  return { kind: 'failed' };
}

/** `email` prefills the address (an invitation's sign-in link knows it). */
export function SignInForm({ callbackUrl, email }: { callbackUrl: string | null; email?: string }) {
  const t = useTranslations('SignIn');
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setFailure(null);
    try {
      const result = await signIn<'credentials'>('credentials', {
        email: String(form.get('email') ?? '').trim(),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (!result || result.error) {
        setFailure(readFailure(result?.error));
        setPending(false);
        return;
      }
      // Stay "pending" while the next page loads: the button must not invite a second click.
      router.push(safeCallbackPath(callbackUrl, window.location.origin));
      router.refresh();
    } catch {
      setFailure({ kind: 'network' });
      setPending(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={handleSubmit} aria-busy={pending}>
      <div className={styles.field}>
        <label htmlFor="sign-in-email">{t('email')}</label>
        <input
          id="sign-in-email"
          name="email"
          type="email"
          defaultValue={email}
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          aria-invalid={failure?.kind === 'wrongCredentials' || undefined}
          aria-describedby={failure ? 'sign-in-error' : undefined}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="sign-in-password">{t('password')}</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={failure?.kind === 'wrongCredentials' || undefined}
          aria-describedby={failure ? 'sign-in-error' : undefined}
        />
      </div>
      <div id="sign-in-error" role="alert" className={styles.error}>
        {failure?.kind === 'tooManyAttempts'
          ? t('tooManyAttempts', { minutes: failure.minutes })
          : failure
            ? t(`errors.${failure.kind}`)
            : null}
      </div>
      <button type="submit" className={`button ${styles.submit}`} disabled={pending}>
        {pending ? t('submitting') : t('submit')}
      </button>
    </form>
  );
}
