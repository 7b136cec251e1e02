'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

import { versionNameLength } from '../../../../domain/versions';
import { saveVersionAction } from './actions';
import styles from './history.module.css';

/** "Save a version named …": editors and owners keep the plan as it is now. */
export function SaveVersionForm({ slug }: { slug: string }) {
  const t = useTranslations('Versions');
  const router = useRouter();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed.length === 0) {
      setMessage({ kind: 'error', text: t('nameRequired') });
      return;
    }
    startTransition(async () => {
      const result = await saveVersionAction(slug, trimmed).catch(
        () => ({ ok: false, error: 'failed' }) as const,
      );
      if (result.ok) {
        setName('');
        setMessage({ kind: 'ok', text: t('saved', { name: trimmed }) });
        router.refresh();
      } else {
        setMessage({ kind: 'error', text: t(`saveError_${result.error}`) });
      }
    });
  }

  return (
    <form className={styles.saveForm} onSubmit={submit} data-testid="save-version-form">
      <label className={styles.saveLabel} htmlFor="version-name">
        {t('saveLabel')}
      </label>
      <div className={styles.saveRow}>
        <input
          id="version-name"
          className={styles.saveInput}
          value={name}
          maxLength={versionNameLength}
          onChange={(event) => setName(event.target.value)}
          placeholder={t('namePlaceholder')}
          aria-describedby="version-name-hint"
        />
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </button>
      </div>
      <p id="version-name-hint" className={styles.hint}>
        {t('saveHint', { limit: versionNameLength })}
      </p>
      <p
        className={message?.kind === 'error' ? styles.error : styles.ok}
        role={message?.kind === 'error' ? 'alert' : 'status'}
      >
        {message?.text ?? ''}
      </p>
    </form>
  );
}
