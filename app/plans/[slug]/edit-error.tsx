'use client';

import { useTranslations } from 'next-intl';

import { isDomainError, type DomainErrorCode } from '../../../domain/domain-error';
import styles from './plan-board.module.css';

/** What a refused edit says to the user: a translated sentence, plus the domain's own detail. */
export type EditFailure = { code: DomainErrorCode; detail: string | null };

export function toEditFailure(error: unknown): EditFailure {
  if (isDomainError(error)) return { code: error.code, detail: error.message };
  return { code: 'internal', detail: null };
}

export function EditError({ failure, id }: { failure: EditFailure | null; id?: string }) {
  const t = useTranslations('EditErrors');
  if (!failure) return null;
  return (
    <p id={id} role="alert" className={styles.editError}>
      {t(failure.code)}
      {failure.detail ? (
        // The domain explains in English; kept as a detail someone can quote to support.
        <span className={styles.editErrorDetail} lang="en">
          {failure.detail}
        </span>
      ) : null}
    </p>
  );
}
