import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

import { minPasswordLength } from '../../../server/auth/passwords';
import { getCurrentUser } from '../../../server/auth/current-user';
import { inspectInvite } from '../../../server/use-cases/accept-invite';
import { AppHeader } from '../../components/app-header';
import form from '../../components/form-page.module.css';
import { LanguageSwitcher } from '../../components/language-switcher';
import { RoleBadge } from '../../components/role-badge';
import { signInPath } from '../../lib/sign-in-path';
import { AcceptInvite, CreateAccountForm, SignOutAndReturn } from './invite-forms';
import styles from './invite.module.css';

type Params = Promise<{ token: string }>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('Invite');
  // The token is in the address: keep it out of Referer headers and search engines.
  return { title: t('title'), referrer: 'no-referrer', robots: { index: false } };
}

/**
 * `/invite/<token>`: what an invitation offers and the one next step for whoever opened it —
 * create an account, sign in, accept, or a clear word on why the link cannot be used. Opening
 * the page changes nothing; only the buttons do.
 */
export default async function InvitePage({ params }: { params: Params }) {
  const { token } = await params;
  const user = await getCurrentUser();
  const [view, t, roleNames, organisations, members] = await Promise.all([
    inspectInvite(token, user),
    getTranslations('Invite'),
    getTranslations('Roles'),
    getTranslations('Organisations'),
    getTranslations('Members'),
  ]);
  const path = `/invite/${encodeURIComponent(token)}`;

  let body: React.ReactNode;
  if (view.state === 'open') {
    const role = roleNames(view.role);
    const roleHelp = members(`roleHelp${view.role}`);
    body = (
      <>
        <h1 className={form.title}>
          <span className={styles.planTitle}>{t('openTitle', { plan: view.planTitle })}</span>
        </h1>
        <p className={form.intro}>{t('openText', { email: view.email, role, roleHelp })}</p>
        <dl className={styles.facts}>
          <dt>{t('email')}</dt>
          <dd>{view.email}</dd>
          <dt>{members('inviteRole')}</dt>
          <dd>
            <RoleBadge role={view.role} />
          </dd>
          {view.organisation && !view.accountExists ? (
            <>
              <dt>{members('inviteOrganisation')}</dt>
              <dd>{organisations(`${view.organisation}.name`)}</dd>
            </>
          ) : null}
        </dl>
        {view.memberRole ? (
          <p className={`${form.notice} ${form.panel}`}>
            {t('alreadyMember', { role: roleNames(view.memberRole) })}
          </p>
        ) : null}
        {view.viewer === 'someone_else' && user ? (
          <section className={form.panel} data-testid="invite-wrong-user">
            <h2 className={form.panelTitle}>{t('wrongUserTitle')}</h2>
            <p>{t('wrongUserText', { email: view.email, current: user.email })}</p>
            <div className={form.actions} style={{ marginTop: 'var(--space-4)' }}>
              <SignOutAndReturn callbackPath={path} />
            </div>
          </section>
        ) : view.viewer === 'invitee' && user ? (
          <section className={form.panel}>
            <p>{t('acceptText', { email: user.email })}</p>
            <AcceptInvite token={token} />
          </section>
        ) : view.accountExists ? (
          <section className={form.panel}>
            <p>{t('signInText', { email: view.email })}</p>
            <div className={form.actions} style={{ marginTop: 'var(--space-4)' }}>
              <Link
                href={`${signInPath(path)}&${new URLSearchParams({ email: view.email }).toString()}`}
                className="button"
              >
                {t('signIn')}
              </Link>
            </div>
          </section>
        ) : (
          <section className={form.panel} aria-labelledby="create-account-title">
            <h2 id="create-account-title" className={form.panelTitle}>
              {t('createTitle')}
            </h2>
            <p className={form.hint} style={{ marginBottom: 'var(--space-4)' }}>
              {t('createText', {
                email: view.email,
                organisation: view.organisation ? organisations(`${view.organisation}.name`) : '—',
              })}
            </p>
            <CreateAccountForm
              token={token}
              email={view.email}
              minPasswordLength={minPasswordLength}
            />
          </section>
        )}
      </>
    );
  } else if (view.state === 'accepted') {
    body = (
      <>
        <h1 className={form.title}>{t('acceptedTitle', { plan: view.planTitle })}</h1>
        <div className={form.actions} style={{ marginTop: 'var(--space-5)' }}>
          <Link href={`/plans/${encodeURIComponent(view.planSlug)}`} className="button">
            {t('openPlan')}
          </Link>
        </div>
      </>
    );
  } else {
    const plan = view.planTitle ?? '';
    body = (
      <div data-testid="invite-problem" data-problem={view.state}>
        <h1 className={form.title}>{t(`${view.state}Title`)}</h1>
        <p className={form.intro}>{t(`${view.state}Text`, { plan })}</p>
        <div className={form.actions} style={{ marginTop: 'var(--space-5)' }}>
          <Link href="/" className="button button-quiet">
            {t('goHome')}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <>
      {user ? (
        <AppHeader user={user} />
      ) : (
        <header className={styles.topBar}>
          <span className={styles.brand}>
            <span className={styles.logo} aria-hidden="true">
              C
            </span>
            Coplan
          </span>
          <LanguageSwitcher />
        </header>
      )}
      <main className={`${form.main} ${form.narrow}`}>{body}</main>
    </>
  );
}
