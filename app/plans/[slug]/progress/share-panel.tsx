'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';

import type { ShareLinkSummary } from '../../../../server/use-cases/list-share-links';
import { usePlanDates } from '../../../lib/use-plan-dates';
import { useRelativeTime } from '../../../lib/use-relative-time';
import styles from './share-panel.module.css';

type Busy = { kind: 'create' } | { kind: 'revoke'; id: string } | null;

/**
 * "Share publicly", for owners: make a public link (its token shown once, to copy), list the
 * working ones, revoke one after a confirmation. The server checks that the caller is an owner
 * at every request; this panel is only shown to owners for convenience.
 */
export function SharePanel({
  slug,
  userName,
  initialLinks,
  publicOrigin,
}: {
  slug: string;
  userName: string;
  initialLinks: ShareLinkSummary[];
  /** COPLAN_PUBLIC_URL's origin: the link is for others, whatever address this page has. */
  publicOrigin: string;
}) {
  const t = useTranslations('Share');
  // Both read well in Khmer too, where browsers often lack Intl's date data.
  const dates = usePlanDates();
  const time = useRelativeTime();
  const [links, setLinks] = useState(initialLinks);
  const [fresh, setFresh] = useState<{ id: string; url: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const base = `/api/plans/${encodeURIComponent(slug)}/share-links`;

  async function create() {
    setBusy({ kind: 'create' });
    setMessage(null);
    try {
      const response = await fetch(base, { method: 'POST' });
      if (!response.ok) throw new Error(String(response.status));
      const { link } = (await response.json()) as {
        link: { id: string; token: string; createdAt: string };
      };
      setFresh({ id: link.id, url: `${publicOrigin}/share/${link.token}` });
      setCopied(false);
      setLinks((current) => [
        { id: link.id, createdAt: link.createdAt, createdByName: userName },
        ...current,
      ]);
    } catch {
      setMessage({ kind: 'error', text: t('failed') });
    } finally {
      setBusy(null);
    }
  }

  async function revoke(id: string) {
    setBusy({ kind: 'revoke', id });
    setMessage(null);
    try {
      const response = await fetch(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      // 404: it was revoked already (another tab, another owner): gone either way.
      if (!response.ok && response.status !== 404) throw new Error(String(response.status));
      setLinks((current) => current.filter((link) => link.id !== id));
      if (fresh?.id === id) setFresh(null);
      setConfirming(null);
      setMessage({ kind: 'done', text: t('revoked') });
    } catch {
      setMessage({ kind: 'error', text: t('failed') });
    } finally {
      setBusy(null);
    }
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (plain http, old browser): the field is selected for a manual copy.
      const field = document.getElementById('share-fresh-link') as HTMLInputElement | null;
      field?.select();
    }
  }

  return (
    <section className={styles.panel} aria-labelledby="share-heading" data-testid="share-panel">
      <h2 id="share-heading" className={styles.heading}>
        {t('heading')}
      </h2>
      <p className={styles.intro}>{t('intro')}</p>
      <button
        type="button"
        className={styles.primary}
        onClick={() => void create()}
        disabled={busy !== null}
        data-testid="share-create"
      >
        {busy?.kind === 'create' ? t('creating') : t('create')}
      </button>
      {fresh ? (
        <div className={styles.fresh}>
          <label htmlFor="share-fresh-link" className={styles.freshLabel}>
            {t('linkLabel')}
          </label>
          <p className={styles.hint}>{t('created')}</p>
          <div className={styles.copyRow}>
            <input
              id="share-fresh-link"
              className={styles.url}
              value={fresh.url}
              readOnly
              onFocus={(event) => event.currentTarget.select()}
              data-testid="share-url"
            />
            <button type="button" className={styles.secondary} onClick={() => void copy(fresh.url)}>
              {copied ? t('copied') : t('copy')}
            </button>
          </div>
        </div>
      ) : null}
      {message ? (
        <p
          className={message.kind === 'error' ? styles.error : styles.done}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      ) : null}
      <h3 className={styles.subheading}>{t('active')}</h3>
      {links.length === 0 ? (
        <p className={styles.muted}>{t('none')}</p>
      ) : (
        <ul className={styles.links}>
          {links.map((link) => {
            const day = link.createdAt.slice(0, 10);
            const date = `${dates(day, day, 'short')} (${time.relative(new Date(link.createdAt))})`;
            return (
              <li key={link.id} className={styles.link} data-testid="share-link">
                <span>
                  {link.createdByName
                    ? t('createdBy', { date, name: link.createdByName })
                    : t('createdAt', { date })}
                </span>
                {confirming === link.id ? (
                  <span className={styles.confirm} role="group" aria-label={t('revokeConfirm')}>
                    <span className={styles.confirmText}>{t('revokeConfirm')}</span>
                    <button
                      type="button"
                      className={styles.danger}
                      onClick={() => void revoke(link.id)}
                      disabled={busy !== null}
                      data-testid="share-revoke-confirm"
                    >
                      {t('revokeYes')}
                    </button>
                    <button
                      type="button"
                      className={styles.secondary}
                      onClick={() => setConfirming(null)}
                    >
                      {t('cancel')}
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className={styles.secondary}
                    onClick={() => setConfirming(link.id)}
                    data-testid="share-revoke"
                  >
                    {t('revoke')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
