/**
 * A plan's committed document read from the database (its latest snapshot and the updates after
 * it), for pages that do not need the live room: a version's "what changed since", a named
 * version. `seq` is the log position the document holds.
 */
import * as Y from 'yjs';

import { preparePlanDocument } from '../../domain/plan-document';
import type { Database } from '../../db/database';
import { loadPlanLog } from '../../db/queries/plan-log';

export async function loadPlanDocument(
  db: Database,
  planId: string,
): Promise<{ doc: Y.Doc; seq: number }> {
  const log = await loadPlanLog(db, planId);
  const doc = preparePlanDocument(new Y.Doc());
  doc.transact(() => {
    if (log.snapshot) Y.applyUpdate(doc, log.snapshot.data);
    for (const update of log.updates) Y.applyUpdate(doc, update.data);
  });
  const seq = Math.max(log.snapshot?.seq ?? 0, log.updates.at(-1)?.seq ?? 0);
  return { doc, seq };
}

/** A saved version's document. */
export function versionDocument(data: Uint8Array): Y.Doc {
  const doc = preparePlanDocument(new Y.Doc());
  Y.applyUpdate(doc, data);
  return doc;
}
