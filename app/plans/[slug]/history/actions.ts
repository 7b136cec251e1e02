'use server';

import { revalidatePath } from 'next/cache';

import { isDomainError } from '../../../../domain/domain-error';
import { getCurrentUser } from '../../../../server/auth/current-user';
import { getLogger } from '../../../../server/logger';
import { saveNamedVersion } from '../../../../server/versions/save-named-version';

export type SaveVersionResult =
  { ok: true } | { ok: false; error: 'signIn' | 'forbidden' | 'invalid' | 'failed' };

/** Saves the plan as it is now under a name (editors and owners; checked in the use case). */
export async function saveVersionAction(slug: unknown, name: unknown): Promise<SaveVersionResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'signIn' };
  if (typeof slug !== 'string') return { ok: false, error: 'invalid' };
  try {
    await saveNamedVersion(slug, user.id, { name });
  } catch (error) {
    if (isDomainError(error)) {
      if (error.code === 'bad_request') return { ok: false, error: 'invalid' };
      if (error.code === 'forbidden' || error.code === 'not_found') {
        return { ok: false, error: 'forbidden' };
      }
    }
    getLogger('versions').error({ err: error }, 'could not save a named version');
    return { ok: false, error: 'failed' };
  }
  revalidatePath(`/plans/${encodeURIComponent(slug)}/history`);
  return { ok: true };
}
