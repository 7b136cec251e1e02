import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';

import { minPasswordLength } from '../../../server/auth/passwords';
import { AppHeader } from '../../components/app-header';
import form from '../../components/form-page.module.css';
import { requireUser } from '../../lib/require-user';
import { ChangePasswordForm } from './change-password-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('Account');
  return { title: t('passwordTitle') };
}

export default async function ChangePasswordPage() {
  const user = await requireUser('/account/password');
  const t = await getTranslations('Account');
  return (
    <>
      <AppHeader user={user} />
      <main className={`${form.main} ${form.narrow}`}>
        <h1 className={form.title}>{t('passwordTitle')}</h1>
        <p className={form.intro}>{t('passwordIntro')}</p>
        <ChangePasswordForm email={user.email} minLength={minPasswordLength} />
      </main>
    </>
  );
}
