'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition, type FormEvent } from 'react';

import type { OrganisationCode } from '../../../domain/organisations';
import { derivePlanSlug } from '../../../domain/plan-slug';
import { isPlanSlug } from '../../../domain/sync-protocol';
import form from '../../components/form-page.module.css';
import { createNewPlan, type NewPlanField } from './actions';

type Failure = { field: NewPlanField | null; key: string };

/**
 * Title, short address (derived from the title until the user edits it), period, partners, and
 * what to start from. Checked here for quick feedback and again on the server, which decides.
 */
export function NewPlanForm({
  plans,
  organisations,
  defaultPartners,
  defaultPeriod,
  standardWorkstreams,
}: {
  plans: Array<{ slug: string; title: string }>;
  organisations: OrganisationCode[];
  defaultPartners: OrganisationCode[];
  defaultPeriod: { start: string; end: string };
  standardWorkstreams: string[];
}) {
  const t = useTranslations('NewPlan');
  const organisationNames = useTranslations('Organisations');
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [start, setStart] = useState(defaultPeriod.start);
  const [end, setEnd] = useState(defaultPeriod.end);
  const [source, setSource] = useState<'blank' | 'copy'>('blank');
  const [failure, setFailure] = useState<Failure | null>(null);

  const shownSlug = slugEdited ? slug : derivePlanSlug(title, { start, end });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const local = check();
    if (local) {
      setFailure(local);
      return;
    }
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await createNewPlan({
          title,
          slug: shownSlug,
          periodStart: start,
          periodEnd: end,
          partners: data.getAll('partners').map(String),
          source:
            source === 'copy'
              ? { kind: 'copy', slug: String(data.get('copyFrom') ?? '') }
              : { kind: 'blank', standardWorkstreams: data.get('standard') === 'on' },
        });
        if (result.ok) {
          router.push(`/plans/${encodeURIComponent(result.slug)}`);
          return;
        }
        setFailure(
          result.error === 'slug_taken'
            ? { field: 'slug', key: 'errorSlugTaken' }
            : { field: result.field ?? null, key: errorKey(result.field) },
        );
      } catch {
        setFailure({ field: null, key: 'errorFailed' });
      }
    });
  }

  function check(): Failure | null {
    if (!title.trim()) return { field: 'title', key: 'errorTitle' };
    if (!isPlanSlug(shownSlug) || shownSlug === 'new') return { field: 'slug', key: 'errorSlug' };
    if (!start || !end || start > end) return { field: 'period', key: 'errorPeriod' };
    return null;
  }

  const invalid = (field: NewPlanField) => failure?.field === field || undefined;

  return (
    <form className={`${form.form} ${form.panel}`} onSubmit={submit} aria-busy={pending} noValidate>
      <div className={form.field}>
        <label htmlFor="plan-title">{t('planTitle')}</label>
        <input
          id="plan-title"
          name="title"
          required
          maxLength={200}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          aria-invalid={invalid('title')}
        />
      </div>
      <div className={form.field}>
        <label htmlFor="plan-slug">{t('slug')}</label>
        <input
          id="plan-slug"
          name="slug"
          required
          maxLength={64}
          autoCapitalize="none"
          spellCheck={false}
          value={shownSlug}
          onChange={(event) => {
            setSlugEdited(true);
            setSlug(event.currentTarget.value.toLowerCase());
          }}
          aria-describedby="plan-slug-help"
          aria-invalid={invalid('slug')}
        />
        <span id="plan-slug-help" className={form.hint}>
          {t('slugHelp')} {shownSlug ? t('slugPreview', { url: `/plans/${shownSlug}` }) : null}
        </span>
      </div>
      <div className={form.row}>
        <div className={form.field}>
          <label htmlFor="plan-start">{t('periodStart')}</label>
          <input
            id="plan-start"
            type="date"
            required
            value={start}
            onChange={(event) => setStart(event.currentTarget.value)}
            aria-invalid={invalid('period')}
          />
        </div>
        <div className={form.field}>
          <label htmlFor="plan-end">{t('periodEnd')}</label>
          <input
            id="plan-end"
            type="date"
            required
            value={end}
            min={start}
            onChange={(event) => setEnd(event.currentTarget.value)}
            aria-invalid={invalid('period')}
          />
        </div>
      </div>
      <fieldset className={form.fieldset}>
        <legend className={form.legend}>{t('partners')}</legend>
        <div className={form.choices}>
          {organisations.map((code) => (
            <label key={code} className={form.choice}>
              <input
                type="checkbox"
                name="partners"
                value={code}
                defaultChecked={defaultPartners.includes(code)}
              />
              <abbr title={organisationNames(`${code}.name`)}>
                {organisationNames(`${code}.short`)}
              </abbr>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className={form.fieldset}>
        <legend className={form.legend}>{t('startFrom')}</legend>
        <div className={form.form} style={{ marginTop: 'var(--space-2)', gap: 'var(--space-3)' }}>
          <label className={form.choice}>
            <input
              type="radio"
              name="source"
              value="blank"
              checked={source === 'blank'}
              onChange={() => setSource('blank')}
            />
            <span>{t('blank')}</span>
          </label>
          {source === 'blank' ? (
            <label className={form.choice} style={{ marginInlineStart: 'var(--space-5)' }}>
              <input type="checkbox" name="standard" defaultChecked />
              <span>
                {t('standardWorkstreams')}
                <br />
                <span className={form.hint}>{standardWorkstreams.join(' · ')}</span>
              </span>
            </label>
          ) : null}
          <label className={form.choice}>
            <input
              type="radio"
              name="source"
              value="copy"
              checked={source === 'copy'}
              disabled={plans.length === 0}
              onChange={() => setSource('copy')}
            />
            <span>
              {t('copy')}
              <br />
              <span className={form.hint}>
                {plans.length === 0 ? t('noPlansToCopy') : t('copyHelp')}
              </span>
            </span>
          </label>
          {source === 'copy' ? (
            <div className={form.field} style={{ marginInlineStart: 'var(--space-5)' }}>
              <label htmlFor="plan-copy-from">{t('copyFrom')}</label>
              <select id="plan-copy-from" name="copyFrom" aria-invalid={invalid('source')}>
                {plans.map((plan) => (
                  <option key={plan.slug} value={plan.slug}>
                    {plan.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
      </fieldset>
      <div role="alert" className={form.error}>
        {failure ? t(failure.key as 'errorFailed') : null}
      </div>
      <div className={form.actions}>
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('submitting') : t('submit')}
        </button>
        <Link href="/" className="button button-quiet">
          {t('cancel')}
        </Link>
      </div>
    </form>
  );
}

function errorKey(field: NewPlanField | undefined): string {
  switch (field) {
    case 'slug':
      return 'errorSlug';
    case 'period':
      return 'errorPeriod';
    case 'source':
      return 'errorCopy';
    case 'title':
      return 'errorTitle';
    default:
      return 'errorFailed';
  }
}
