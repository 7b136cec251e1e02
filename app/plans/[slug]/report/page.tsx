import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale } from 'next-intl/server';

import { isLocale, type Locale } from '../../../../domain/locales';
import { getPlanReport } from '../../../../server/use-cases/get-plan-report';
import { AppHeader } from '../../../components/app-header';
import { loadPlanPage } from '../load-plan-page';
import { PlanNav } from '../plan-nav';
import { PrintButton } from './print-button';
import { reportIntl } from './report-intl';
import './report-print.css';
import styles from './report.module.css';

type Params = Promise<{ slug: string }>;
type SearchParams = Promise<{ lang?: string | string[] }>;

async function reportLocale(searchParams: SearchParams): Promise<Locale> {
  const { lang } = await searchParams;
  return isLocale(lang) ? lang : await getLocale();
}

export async function generateMetadata({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '/report');
  const { t } = await reportIntl(await reportLocale(searchParams));
  return { title: t('metaTitle', { plan: plan.title }) };
}

/**
 * The plan as a printable report, in the language asked for (`?lang=`, else the UI's): its
 * period, a summary per workstream, then each workstream's activities with status, dates, lead,
 * progress and indicators. The print stylesheet makes it A4, black on white, without the app's
 * header, tabs and buttons, one workstream a page where they are long.
 */
export default async function ReportPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { slug } = await params;
  const { plan, user } = await loadPlanPage(slug, '/report');
  const locale = await reportLocale(searchParams);
  const [{ t, statuses, organisations, format }, report] = await Promise.all([
    reportIntl(locale),
    getPlanReport(plan.slug, user.id),
  ]);
  const day = (iso: string) =>
    format.dateTime(new Date(`${iso}T00:00:00Z`), { dateStyle: 'medium', timeZone: 'UTC' });
  const number = (value: number) => format.number(value, { maximumFractionDigits: 2 });

  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="export" />
      <main className={styles.report} lang={locale} data-report="">
        <div className={styles.toolbar}>
          <Link href={`/plans/${encodeURIComponent(plan.slug)}/export`} className={styles.back}>
            {t('back')}
          </Link>
          <PrintButton label={t('print')} />
          <p className={styles.toolbarHint}>{t('printHint')}</p>
        </div>

        <header className={styles.cover} data-report-cover="">
          <p className={styles.kicker}>{t('title')}</p>
          <h1 className={styles.title}>{plan.title}</h1>
          <p className={styles.meta}>
            {report.period
              ? t('period', { start: day(report.period.start), end: day(report.period.end) })
              : t('noActivities')}
            {' · '}
            {t('generated', {
              date: format.dateTime(new Date(), { dateStyle: 'long', timeZone: 'UTC' }),
            })}
          </p>
        </header>

        <section className={styles.summary} aria-labelledby="report-summary">
          <h2 id="report-summary">{t('summaryHeading')}</h2>
          <table className={styles.table}>
            <caption className="visually-hidden">{t('summaryCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('workstream')}</th>
                <th scope="col" className={styles.number}>
                  {t('activities')}
                </th>
                {(['planned', 'in_progress', 'done', 'blocked'] as const).map((status) => (
                  <th key={status} scope="col" className={styles.number}>
                    {statuses(status)}
                  </th>
                ))}
                <th scope="col" className={styles.number}>
                  {t('averageProgress')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.sections.map((section) => (
                <tr key={section.workstreamId}>
                  <th scope="row">{section.name || t('noWorkstream')}</th>
                  <td className={styles.number}>{section.summary.count}</td>
                  <td className={styles.number}>{section.summary.byStatus.planned}</td>
                  <td className={styles.number}>{section.summary.byStatus.in_progress}</td>
                  <td className={styles.number}>{section.summary.byStatus.done}</td>
                  <td className={styles.number}>{section.summary.byStatus.blocked}</td>
                  <td className={styles.number}>
                    {t('percent', { value: section.summary.averageProgress })}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('total')}</th>
                <td className={styles.number}>{report.total.count}</td>
                <td className={styles.number}>{report.total.byStatus.planned}</td>
                <td className={styles.number}>{report.total.byStatus.in_progress}</td>
                <td className={styles.number}>{report.total.byStatus.done}</td>
                <td className={styles.number}>{report.total.byStatus.blocked}</td>
                <td className={styles.number}>
                  {t('percent', { value: report.total.averageProgress })}
                </td>
              </tr>
            </tfoot>
          </table>
        </section>

        {report.sections.map((section) => (
          <section
            key={section.workstreamId}
            className={styles.workstream}
            aria-labelledby={`ws-${section.workstreamId}`}
          >
            <h2 id={`ws-${section.workstreamId}`}>{section.name || t('noWorkstream')}</h2>
            <p className={styles.meta}>
              {t('workstreamSummary', {
                count: section.summary.count,
                done: section.summary.byStatus.done,
                percent: section.summary.averageProgress,
              })}
            </p>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">{t('activity')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('dates')}</th>
                  <th scope="col">{t('lead')}</th>
                  <th scope="col" className={styles.number}>
                    {t('progress')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {section.items.map((item) => (
                  <tr key={item.id} className={styles.itemRow}>
                    <th scope="row" className={styles.itemTitle}>
                      {item.title}
                      {item.indicators.length > 0 ? (
                        <ul className={styles.indicators} aria-label={t('indicators')}>
                          {item.indicators.map((indicator) => (
                            <li key={indicator.id}>
                              {t('indicatorLine', {
                                name: indicator.unit
                                  ? `${indicator.name} (${indicator.unit})`
                                  : indicator.name,
                                baseline: number(indicator.baseline),
                                actual:
                                  indicator.actual === null
                                    ? t('notMeasured')
                                    : number(indicator.actual),
                                target: number(indicator.target),
                              })}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </th>
                    <td>
                      <span className={styles.status} data-status={item.status}>
                        {statuses(item.status)}
                      </span>
                    </td>
                    <td className={styles.dates}>
                      {t('dateRange', { start: day(item.start), end: day(item.end) })}
                    </td>
                    <td>
                      <abbr title={organisations(`${item.leadOrg}.name`)}>
                        {organisations(`${item.leadOrg}.short`)}
                      </abbr>
                    </td>
                    <td className={styles.number}>{t('percent', { value: item.progress })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </main>
    </>
  );
}
