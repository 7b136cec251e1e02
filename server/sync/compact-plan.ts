/**
 * One compaction of one plan: fold the log into a snapshot, then prune what the snapshot folds.
 *
 *   read the latest snapshot S0 and the updates after it (one repeatable-read transaction)
 *   ─▶ fold them into a document ─▶ write a snapshot at S, the last seq read ─▶ commit
 *   ─▶ delete the updates with seq ≤ S ─▶ delete all but the two latest snapshots
 *
 * Why nothing is lost:
 *
 * - **A late commit is never pruned unfolded.** Seq numbers are taken while holding the plan
 *   row (appendPlanUpdates), so the transaction holding seq N+1 cannot even start numbering
 *   until the one holding N has committed or rolled back. Hence once S is visible, every seq
 *   ≤ S is visible too, or never will be: "everything ≤ S" is final. A transaction still in
 *   flight can only hold seqs > S, and the prune (`seq ≤ S`) never touches those. A plain serial
 *   id would break this: id N-1 could commit after N was read and then be deleted unfolded.
 * - **A crash at any point (kill -9) is harmless.** Before the snapshot commits, the log is as
 *   it was. After it, a load starts from the new snapshot, and the updates ≤ S still in the
 *   table are simply never read (a load takes the updates after the latest snapshot); the next
 *   compaction prunes them. Nothing is applied twice either way, and Yjs ignores what a
 *   document already holds.
 * - **Several processes on one database may compact one plan at once.** Each prunes only up to
 *   the seq of a snapshot it saw committed. Two snapshots at one seq fold the same updates, so
 *   the second insert is ignored (and waits for the first to commit, so the prune after it is
 *   still covered). A snapshot older than the latest is harmless: loads read the latest. And the
 *   snapshot pruning never removes the latest snapshot, so at every moment the latest snapshot
 *   covers every prune anybody has done.
 *
 * Two snapshots are kept, not one: the previous one costs a document's size and gives an
 * operator a known-good earlier state should the newest ever prove damaged. Keeping more would
 * only grow the table; versions people can restore are a separate record.
 */
import { DomainError } from '../../domain/domain-error';
import type { Database } from '../../db/database';
import {
  loadPlanLog,
  prunePlanSnapshots,
  prunePlanUpdates,
  readPlanLogStatus,
  writePlanSnapshot,
  type PlanLog,
} from '../../db/queries/plan-log';
import { foldPlanLog } from './fold-plan-log';

export interface CompactPlanOptions {
  /** Fold only when at least this many updates follow the latest snapshot (default 1)… */
  minTailUpdates?: number;
  /** …or when they hold at least this many bytes. */
  minTailBytes?: number;
  /** Snapshots to keep, the latest included (default 2). */
  keepSnapshots?: number;
}

export interface CompactionResult {
  /** The seq of the latest snapshot after this compaction (ours or another's); null if none. */
  snapshotSeq: number | null;
  /** The highest seq this compaction saw in the log (a snapshot's or an update's). */
  lastSeq: number;
  /** How many updates the snapshot this compaction wrote folds; 0 if it wrote none. */
  folded: number;
  /** The size of the snapshot this compaction wrote; 0 if it wrote none. */
  snapshotBytes: number;
  prunedUpdates: number;
  prunedSnapshots: number;
  /** True if a stored update lacked its dependencies (it is still carried in the snapshot). */
  missingDependencies: boolean;
}

const defaultKeptSnapshots = 2;

/**
 * The seqs of a log must run without a hole from the snapshot's on: a hole means rows are
 * missing, and a snapshot written over it would make the loss permanent and silent.
 */
function checkContiguous(planId: string, log: PlanLog): void {
  let expected = (log.snapshot?.seq ?? 0) + 1;
  for (const update of log.updates) {
    if (update.seq !== expected) {
      throw new DomainError(
        'internal',
        `plan ${planId}: log expected seq ${expected} but found ${update.seq}; not compacting`,
      );
    }
    expected += 1;
  }
}

/** The fold and the snapshot write, without the prune: a compaction a crash cut short. */
export async function writeCompactedSnapshot(
  db: Database,
  planId: string,
): Promise<{ seq: number; folded: number; bytes: number; missingDependencies: boolean } | null> {
  const log = await loadPlanLog(db, planId);
  const last = log.updates.at(-1);
  // Another process may have compacted since the status was read: nothing left to fold.
  if (!last) return null;
  checkContiguous(planId, log);
  const folded = await foldPlanLog(log);
  await writePlanSnapshot(db, planId, last.seq, folded.data);
  return {
    seq: last.seq,
    folded: log.updates.length,
    bytes: folded.data.length,
    missingDependencies: folded.missingDependencies,
  };
}

export async function compactPlan(
  db: Database,
  planId: string,
  options: CompactPlanOptions = {},
): Promise<CompactionResult> {
  const minTailUpdates = Math.max(1, options.minTailUpdates ?? 1);
  const minTailBytes = options.minTailBytes ?? Number.POSITIVE_INFINITY;
  const keepSnapshots = options.keepSnapshots ?? defaultKeptSnapshots;
  const status = await readPlanLogStatus(db, planId);
  const result: CompactionResult = {
    snapshotSeq: status.snapshotSeq,
    lastSeq: (status.snapshotSeq ?? 0) + status.tailCount,
    folded: 0,
    snapshotBytes: 0,
    prunedUpdates: 0,
    prunedSnapshots: 0,
    missingDependencies: false,
  };
  if (
    status.tailCount > 0 &&
    (status.tailCount >= minTailUpdates || status.tailBytes >= minTailBytes)
  ) {
    const written = await writeCompactedSnapshot(db, planId);
    if (written) {
      result.snapshotSeq = Math.max(written.seq, result.snapshotSeq ?? 0);
      result.lastSeq = Math.max(written.seq, result.lastSeq);
      result.folded = written.folded;
      result.snapshotBytes = written.bytes;
      result.missingDependencies = written.missingDependencies;
    }
  }
  // Prune only up to a snapshot seen committed: ours, or the latest the status read.
  if (result.snapshotSeq !== null && (result.folded > 0 || status.foldedCount > 0)) {
    result.prunedUpdates = await prunePlanUpdates(db, planId, result.snapshotSeq);
  }
  if (result.folded > 0 || status.snapshotCount > keepSnapshots) {
    result.prunedSnapshots = await prunePlanSnapshots(db, planId, keepSnapshots);
  }
  return result;
}
