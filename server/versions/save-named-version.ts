import * as Y from 'yjs';

import { DomainError } from '../../domain/domain-error';
import { canEditPlan } from '../../domain/roles';
import { saveVersionInput, type VersionSummary } from '../../domain/versions';
import { getCurrentDatabase } from '../../db/database';
import { insertPlanVersion } from '../../db/queries/plan-versions';
import { getPlanAccess } from '../use-cases/get-plan-access';
import { loadPlanDocument } from './load-plan-document';
import { toVersionSummary } from './to-version-summary';

/**
 * Saves the plan as it is now (everything committed) under a name. Editors and owners only;
 * the name is trimmed, 1 to 120 characters.
 */
export async function saveNamedVersion(
  slug: string,
  userId: string,
  input: unknown,
): Promise<VersionSummary> {
  const access = await getPlanAccess(slug, userId);
  if (!canEditPlan(access.role)) {
    throw new DomainError('forbidden', 'only editors and owners may save a version');
  }
  const parsed = saveVersionInput.safeParse(input);
  if (!parsed.success) {
    throw new DomainError('bad_request', 'a version needs a name of 1 to 120 characters');
  }
  const { db } = getCurrentDatabase();
  const { doc, seq } = await loadPlanDocument(db, access.plan.id);
  try {
    const row = await insertPlanVersion(db, {
      planId: access.plan.id,
      kind: 'named',
      name: parsed.data.name,
      seq,
      data: Y.encodeStateAsUpdate(doc),
      createdBy: userId,
    });
    return toVersionSummary(row);
  } finally {
    doc.destroy();
  }
}
