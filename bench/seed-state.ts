/**
 * The plan every server starts with: the seed plan, built with the domain's writers exactly as
 * db/seed.ts builds it. Coplan loads its own seeded copy from PostgreSQL; the peers start empty
 * and their clients carry this state, so all four sync the same kind of document and edits.
 */
import * as Y from 'yjs';

import {
  createItem,
  createWorkstream,
  findPlanProblem,
  initialisePlan,
  preparePlanDocument,
} from '../domain/plan-document';
import { seedContent } from '../db/seed-content';

export function buildSeedState(): Uint8Array {
  const doc = preparePlanDocument(new Y.Doc());
  try {
    const { title, periodStart, periodEnd } = seedContent.plan;
    initialisePlan(doc, { title, periodStart, periodEnd });
    for (const workstream of seedContent.workstreams) {
      const workstreamId = createWorkstream(doc, { name: workstream.name });
      for (const activity of workstream.activities) createItem(doc, { ...activity, workstreamId });
    }
    const problem = findPlanProblem(doc);
    if (problem) throw new Error(`the seed plan is invalid: ${problem}`);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
