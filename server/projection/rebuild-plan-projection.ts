/**
 * Writes a whole plan's item projection: every item's row at `seq`, and the rows of items the
 * document no longer holds removed. Used when a room loads behind its projection, after a
 * compaction finds the projection behind, and on demand from the stored log (GET …/items).
 */
import * as Y from 'yjs';

import { projectPlan, type ItemProjection } from '../../domain/item-projection';
import { preparePlanDocument } from '../../domain/plan-document';
import type { Database } from '../../db/database';
import { loadPlanLog } from '../../db/queries/plan-log';
import {
  deletePlanItems,
  listPlanItemIds,
  markPlanProjected,
  upsertPlanItems,
} from '../../db/queries/plan-items';
import { foldPlanLog } from '../sync/fold-plan-log';

export async function writePlanProjection(
  db: Database,
  planId: string,
  items: ReadonlyMap<string, ItemProjection>,
  seq: number,
): Promise<void> {
  // One transaction: `projected_seq` never claims rows that another writer (or a concurrent
  // rebuild) has not committed with it.
  await db.transaction(async (tx) => {
    await upsertPlanItems(tx, planId, [...items.values()], seq);
    const stored = await listPlanItemIds(tx, planId);
    await deletePlanItems(
      tx,
      planId,
      stored.filter((itemId) => !items.has(itemId)),
      seq,
    );
    await markPlanProjected(tx, planId, seq);
  });
}

/** Rebuilds the projection from the stored log (snapshot + updates), as a cold load reads it. */
export async function rebuildPlanProjection(db: Database, planId: string): Promise<number> {
  const log = await loadPlanLog(db, planId);
  const seq = Math.max(log.snapshot?.seq ?? 0, log.updates.at(-1)?.seq ?? 0);
  const folded = await foldPlanLog(log);
  const doc = preparePlanDocument(new Y.Doc());
  try {
    Y.applyUpdate(doc, folded.data);
    await writePlanProjection(db, planId, projectPlan(doc), seq);
  } finally {
    doc.destroy();
  }
  return seq;
}
