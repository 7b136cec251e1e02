'use server';

import { getTranslations } from 'next-intl/server';

import { isDomainError } from '../../../domain/domain-error';
import { getCurrentUser } from '../../../server/auth/current-user';
import { createPlan } from '../../../server/use-cases/create-plan';

export type NewPlanField = 'title' | 'slug' | 'period' | 'source';

export type NewPlanResult =
  | { ok: true; slug: string }
  | { ok: false; error: 'unauthenticated' | 'slug_taken' | 'invalid'; field?: NewPlanField };

const standardWorkstreamKeys = ['ws1', 'ws2', 'ws3', 'ws4', 'ws5', 'ws6', 'ws7'] as const;

function fieldOf(path: string): NewPlanField {
  if (path === 'title' || path === 'slug' || path === 'source') return path;
  if (path === 'periodStart' || path === 'periodEnd') return 'period';
  return 'title';
}

/**
 * Creates a plan for the signed-in user, who becomes its only owner. The standard workstreams
 * are named in the creator's language.
 */
export async function createNewPlan(input: {
  title: string;
  slug: string;
  periodStart: string;
  periodEnd: string;
  partners: string[];
  source: { kind: 'blank'; standardWorkstreams: boolean } | { kind: 'copy'; slug: string };
}): Promise<NewPlanResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'unauthenticated' };
  const t = await getTranslations('NewPlan');
  const source =
    input?.source?.kind === 'copy'
      ? { kind: 'copy' as const, slug: input.source.slug }
      : {
          kind: 'blank' as const,
          workstreams: input?.source?.standardWorkstreams
            ? standardWorkstreamKeys.map((key) => t(key))
            : [],
        };
  try {
    const result = await createPlan(user.id, { ...input, source });
    if (result.ok) return result;
    if (result.problem === 'slug_taken') return { ok: false, error: 'slug_taken', field: 'slug' };
    return { ok: false, error: 'invalid', field: fieldOf(result.field) };
  } catch (error) {
    // A plan to copy that does not exist or is not the user's: as if it were not there.
    if (isDomainError(error) && error.code === 'not_found') {
      return { ok: false, error: 'invalid', field: 'source' };
    }
    throw error;
  }
}
