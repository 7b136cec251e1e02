/**
 * Folds a plan's stored log (its latest snapshot and the updates after it) into one update: the
 * state of a document that has applied them all (`Y.encodeStateAsUpdate`).
 *
 * Never `Y.mergeUpdates` over the log: it is superlinear in the number of updates (40k took 46 s
 * on this machine) and keeps deleted content that a loaded document garbage-collects (DESIGN.md,
 * "Compact from a loaded document"). Applying to a document is linear, and it is done in slices
 * that yield to the event loop, so that a long log never holds up the commits of live rooms.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as Y from 'yjs';

import { preparePlanDocument } from '../../domain/plan-document';
import type { PlanLog } from '../../db/queries/plan-log';

/** How long one slice may hold the event loop before the fold yields. */
const sliceMs = 8;
/** How often (in updates) a slice looks at the clock. */
const updatesPerClockCheck = 64;

export interface FoldedPlanLog {
  data: Uint8Array;
  /**
   * True if some stored update lacks its dependencies. Such updates are still carried in the
   * folded state (Yjs encodes pending structs), so nothing is lost; it is worth a log line.
   */
  missingDependencies: boolean;
}

export async function foldPlanLog(log: PlanLog): Promise<FoldedPlanLog> {
  const doc = preparePlanDocument(new Y.Doc());
  try {
    if (log.snapshot) Y.applyUpdate(doc, log.snapshot.data);
    let next = 0;
    while (next < log.updates.length) {
      const started = performance.now();
      doc.transact(() => {
        for (let update = log.updates[next]; update; update = log.updates[next]) {
          Y.applyUpdate(doc, update.data);
          next += 1;
          if (next % updatesPerClockCheck === 0 && performance.now() - started > sliceMs) break;
        }
      });
      if (next < log.updates.length) await nextTurn();
    }
    return {
      data: Y.encodeStateAsUpdate(doc),
      missingDependencies: Boolean(doc.store.pendingStructs || doc.store.pendingDs),
    };
  } finally {
    doc.destroy();
  }
}
