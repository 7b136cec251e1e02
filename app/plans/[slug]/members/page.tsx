import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';

import { organisationCodes } from '../../../../domain/organisations';
import { canManagePlan } from '../../../../domain/roles';
import { getPublicOrigin } from '../../../../server/public-origin';
import { listMembersPage } from '../../../../server/use-cases/list-members-page';
import { AppHeader } from '../../../components/app-header';
import form from '../../../components/form-page.module.css';
import { loadPlanPage } from '../load-plan-page';
import { PlanNav } from '../plan-nav';
import { InviteForm } from './invite-form';
import { MemberList } from './member-list';
import { PendingInvites } from './pending-invites';

type Params = Promise<{ slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const { plan } = await loadPlanPage(slug, '/members');
  const t = await getTranslations('Members');
  return { title: `${t('title')} · ${plan.title}` };
}

/**
 * Who is on the plan. Every member sees names, organisations and roles; owners also see e-mail
 * addresses, invite people, change roles, remove members and revoke pending invitations.
 */
export default async function MembersPage({ params }: { params: Params }) {
  const { slug } = await params;
  const { plan, role, user } = await loadPlanPage(slug, '/members');
  const [page, t, format] = await Promise.all([
    listMembersPage(plan.slug, user.id),
    getTranslations('Members'),
    getFormatter(),
  ]);
  const owner = canManagePlan(role);
  return (
    <>
      <AppHeader user={user} />
      <PlanNav slug={plan.slug} current="members" />
      <main className={form.main}>
        <h1 className={form.title}>{t('title')}</h1>
        <p className={form.intro}>{owner ? t('introOwner') : t('intro')}</p>
        <MemberList
          slug={plan.slug}
          currentUserId={user.id}
          manage={owner}
          members={page.members}
        />
        {owner ? (
          <>
            <InviteForm
              slug={plan.slug}
              organisations={[...organisationCodes]}
              defaultOrganisation={user.organisation}
              publicOrigin={getPublicOrigin()}
            />
            <PendingInvites
              slug={plan.slug}
              invites={page.invites.map((invite) => ({
                id: invite.id,
                email: invite.email,
                role: invite.role,
                organisation: invite.organisationCode,
                invitedBy: invite.invitedByName,
                expires: format.dateTime(invite.expiresAt, { dateStyle: 'medium' }),
              }))}
            />
          </>
        ) : null}
      </main>
    </>
  );
}
