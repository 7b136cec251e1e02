'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';

import { organisationCodes, type OrganisationCode } from '../../../../domain/organisations';
import { createCalendarFeedAction, revokeCalendarFeedAction } from './actions';
import styles from './export.module.css';
import type { CalendarFeedSummary } from './feed-summary';

/**
 * The member's calendar feeds of this plan: create one (all activities, or one lead
 * organisation's), see its secret URL once to copy, list and revoke. The URL carries the UI's
 * language, so the events' descriptions read in it.
 */
export function CalendarFeeds({
  slug,
  initialFeeds,
  publicOrigin,
}: {
  slug: string;
  initialFeeds: CalendarFeedSummary[];
  /** COPLAN_PUBLIC_URL's origin: calendar apps fetch the feed from there. */
  publicOrigin: string;
}) {
  const t = useTranslations('Calendar');
  const organisations = useTranslations('Organisations');
  const locale = useLocale();
  const headingId = useId();
  const scopeId = useId();
  const [feeds, setFeeds] = useState(initialFeeds);
  const [scope, setScope] = useState<'' | OrganisationCode>('');
  const [created, setCreated] = useState<{ https: string; webcal: string } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [pending, startTransition] = useTransition();

  const scopeName = (code: OrganisationCode | null) =>
    code ? t('scopeOrg', { organisation: organisations(`${code}.short`) }) : t('scopeAll');
  const failure = (error: string) =>
    setMessage({ text: error === 'too_many' ? t('tooMany') : t('failed'), error: true });

  const create = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await createCalendarFeedAction({ slug, organisationCode: scope || null });
      if (!result.ok) return failure(result.error);
      const path = `/calendar/${result.token}.ics?lang=${encodeURIComponent(locale)}`;
      const https = `${publicOrigin}${path}`;
      setCreated({ https, webcal: https.replace(/^https?:/, 'webcal:') });
      setFeeds((current) => [result.feed, ...current]);
    });

  const revoke = (feedId: string) =>
    startTransition(async () => {
      setMessage(null);
      const result = await revokeCalendarFeedAction({ slug, feedId });
      // Already gone (revoked in another tab) is what the person wanted.
      if (!result.ok && result.error !== 'not_found') return failure(result.error);
      setFeeds((current) => current.filter((feed) => feed.id !== feedId));
      setCreated(null);
      setMessage({ text: t('revoked'), error: false });
    });

  return (
    <section className={styles.section} aria-labelledby={headingId} data-testid="calendar-feeds">
      <h2 id={headingId}>{t('heading')}</h2>
      <p className={styles.hint}>{t('hint')}</p>
      <div className={styles.createRow}>
        <label htmlFor={scopeId}>{t('scope')}</label>
        <select
          id={scopeId}
          value={scope}
          onChange={(event) => setScope(event.target.value as '' | OrganisationCode)}
        >
          <option value="">{t('scopeAll')}</option>
          {organisationCodes.map((code) => (
            <option key={code} value={code}>
              {scopeName(code)}
            </option>
          ))}
        </select>
        <button type="button" className={styles.button} onClick={create} disabled={pending}>
          {pending ? t('creating') : t('create')}
        </button>
      </div>

      {created ? (
        <div className={styles.created} data-testid="calendar-created" role="status">
          <h3>{t('createdHeading')}</h3>
          <p className={styles.hint}>{t('createdHint')}</p>
          <CopyField label={t('webcalLabel')} value={created.webcal} />
          <CopyField label={t('httpsLabel')} value={created.https} />
          <a className={styles.linkButton} href={created.webcal}>
            {t('openInApp')}
          </a>
        </div>
      ) : null}

      {message ? (
        <p className={message.error ? styles.error : styles.notice} role="status">
          {message.text}
        </p>
      ) : null}

      <h3>{t('listHeading')}</h3>
      {feeds.length === 0 ? (
        <p className={styles.hint}>{t('empty')}</p>
      ) : (
        <ul className={styles.feeds}>
          {feeds.map((feed) => {
            const date = feed.createdLabel;
            return (
              <li key={feed.id} className={styles.feed}>
                <span>
                  <strong>{scopeName(feed.organisationCode)}</strong>{' '}
                  <span className={styles.muted}>{t('createdOn', { date })}</span>
                </span>
                <button
                  type="button"
                  className={styles.dangerButton}
                  onClick={() => revoke(feed.id)}
                  disabled={pending}
                  aria-label={t('revokeLabel', { scope: scopeName(feed.organisationCode), date })}
                >
                  {t('revoke')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function CopyField({ label, value }: { label: string; value: string }) {
  const t = useTranslations('Calendar');
  const id = useId();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <div className={styles.copyField}>
      <label htmlFor={id}>{label}</label>
      <div className={styles.copyRow}>
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
        />
        <button
          type="button"
          className={styles.secondaryButton}
          onClick={() => {
            navigator.clipboard.writeText(value).then(
              () => setState('copied'),
              () => setState('failed'),
            );
          }}
        >
          {state === 'copied' ? t('copied') : t('copy')}
        </button>
      </div>
      {state === 'failed' ? <p className={styles.error}>{t('copyFailed')}</p> : null}
    </div>
  );
}
