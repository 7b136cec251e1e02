/**
 * A plan's document is stored as a log: Yjs updates numbered 1, 2, 3… per plan, plus snapshots,
 * each of which folds every update up to its seq. Loading reads the latest snapshot and the
 * updates after it.
 *
 * The numbers come from `plans.update_seq`, bumped inside the appending transaction. The UPDATE
 * holds the plan row until commit, so appends to one plan commit in seq order: once seq N is
 * visible, so is everything below it, and a compactor folding "up to N" never skips an update
 * still in flight (DESIGN.md, "Order the log under a lock"). A serial id cannot promise that.
 */
import { and, asc, count, desc, eq, gt, lt, lte, sql } from 'drizzle-orm';

import { DomainError } from '../../domain/domain-error';
import type { Database } from '../database';
import { planSnapshots, planUpdates, plans } from '../schema';

export interface PlanUpdateInput {
  data: Uint8Array;
  /** The author, for attribution; null for server-side changes. */
  userId: string | null;
}

export interface LoggedPlanUpdate {
  seq: number;
  data: Uint8Array;
}

export interface PlanLog {
  snapshot: LoggedPlanUpdate | null;
  /** The updates after the snapshot (all of them without one), in seq order. */
  updates: LoggedPlanUpdate[];
}

/**
 * Appends updates (one group commit) and returns the seq of the last one; they are numbered
 * `last - updates.length + 1 … last` in the order given. Throws `not_found` if the plan is gone.
 */
export async function appendPlanUpdates(
  db: Database,
  planId: string,
  updates: readonly PlanUpdateInput[],
): Promise<number> {
  if (updates.length === 0) return currentPlanSeq(db, planId);
  const last = (await appendPlanUpdateGroups(db, [{ planId, updates }])).get(planId);
  if (last === undefined) throw new DomainError('not_found', `plan ${planId} does not exist`);
  return last;
}

export interface PlanUpdateGroup {
  planId: string;
  /** At least one. */
  updates: readonly PlanUpdateInput[];
}

/**
 * Appends the updates of several plans (one group commit each, at most one group per plan) and
 * returns, per plan, the seq of its last update. A plan that does not exist is missing from the
 * result, and nothing of its group is stored; the other groups are.
 *
 * One statement, so one round trip and its own transaction. For each plan the UPDATE takes the
 * seq range while holding the plan row, and the INSERT in the same statement commits with it, so
 * the ordering above holds exactly as with an explicit BEGIN … COMMIT. The plan rows are locked
 * in id order first (`locked`, materialised), so two such statements over overlapping plans, from
 * two instances, wait for each other instead of deadlocking. Rows travel as array parameters
 * (text literals, which postgres.js and PGlite both pass through as they are): the statement is
 * the same whatever the batch size and never nears the 65,535-parameter limit.
 */
export async function appendPlanUpdateGroups(
  db: Database,
  groups: readonly PlanUpdateGroup[],
): Promise<Map<string, number>> {
  const planIds = groups.map((group) => group.planId);
  if (new Set(planIds).size !== planIds.length) {
    throw new RangeError('at most one group per plan in one append');
  }
  const rows = groups.flatMap((group) =>
    group.updates.map((update, index) => ({ planId: group.planId, ord: index + 1, ...update })),
  );
  const result = await db.execute(sql`
    with wanted as (
      select * from unnest(
        ${arrayLiteral(planIds.map(quoted))}::uuid[],
        ${arrayLiteral(groups.map((group) => String(group.updates.length)))}::integer[]
      ) as wanted(plan_id, count)
    ), locked as materialized (
      select id from ${plans}
      where id in (select plan_id from wanted)
      order by id
      for no key update
    ), bumped as (
      update ${plans} set update_seq = ${plans}.update_seq + wanted.count
      from wanted
      where ${plans}.id = wanted.plan_id and ${plans}.id in (select id from locked)
      returning ${plans}.id, ${plans}.update_seq, wanted.count
    ), inserted as (
      insert into ${planUpdates} (plan_id, seq, data, user_id)
      select entry.plan_id, bumped.update_seq - bumped.count + entry.ord, entry.data, entry.user_id
      from unnest(
        ${arrayLiteral(rows.map((row) => quoted(row.planId)))}::uuid[],
        ${arrayLiteral(rows.map((row) => String(row.ord)))}::integer[],
        ${arrayLiteral(rows.map((row) => byteaLiteral(row.data)))}::bytea[],
        ${arrayLiteral(rows.map((row) => (row.userId === null ? 'NULL' : quoted(row.userId))))}::uuid[]
      ) as entry(plan_id, ord, data, user_id)
      join bumped on bumped.id = entry.plan_id
    )
    select id, update_seq from bumped`);
  // bigint: postgres.js returns it as a string, PGlite as a number.
  return new Map(
    rowsOf<{ id: string; update_seq: number | string }>(result).map((row) => [
      row.id,
      Number(row.update_seq),
    ]),
  );
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite. */
function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.join(',')}}`;
}

/** An array element, quoted and escaped, so no value can change the array's shape. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** A bytea array element in hex escape format: `"\\x0a1b…"`. */
function byteaLiteral(data: Uint8Array): string {
  return `"\\\\x${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex')}"`;
}

async function currentPlanSeq(db: Database, planId: string): Promise<number> {
  const [plan] = await db
    .select({ updateSeq: plans.updateSeq })
    .from(plans)
    .where(eq(plans.id, planId));
  if (!plan) throw new DomainError('not_found', `plan ${planId} does not exist`);
  return plan.updateSeq;
}

/**
 * The latest snapshot and the updates after it. Both reads run in one repeatable-read
 * transaction: otherwise a compaction committing between them (new snapshot, older updates
 * pruned) could leave a gap between the snapshot we read and the tail we read.
 */
export async function loadPlanLog(db: Database, planId: string): Promise<PlanLog> {
  return loadPlanLogAfter(db, planId, 0);
}

/**
 * What a replica that holds every update up to `afterSeq` lacks: the updates after it, or, when
 * compaction has pruned some of those, the latest snapshot and the updates after the snapshot.
 * `loadPlanLogAfter(db, planId, 0)` is the whole plan.
 */
export async function loadPlanLogAfter(
  db: Database,
  planId: string,
  afterSeq: number,
): Promise<PlanLog> {
  return db.transaction(
    async (tx) => {
      const [latest] = await tx
        .select({ seq: planSnapshots.seq, data: planSnapshots.data })
        .from(planSnapshots)
        .where(eq(planSnapshots.planId, planId))
        .orderBy(desc(planSnapshots.seq))
        .limit(1);
      // A snapshot at or below `afterSeq` holds nothing the replica lacks. Seq 0 is the seed's
      // snapshot, which a whole load (afterSeq 0) still needs.
      const snapshot = latest && (latest.seq > afterSeq || afterSeq === 0) ? latest : null;
      const from = Math.max(afterSeq, snapshot?.seq ?? 0);
      const updates = await tx
        .select({ seq: planUpdates.seq, data: planUpdates.data })
        .from(planUpdates)
        .where(and(eq(planUpdates.planId, planId), gt(planUpdates.seq, from)))
        .orderBy(asc(planUpdates.seq));
      return { snapshot, updates };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Stores a snapshot that folds every update with seq ≤ `seq`. Build it from a loaded document
 * (`Y.encodeStateAsUpdate`), not with `Y.mergeUpdates` (DESIGN.md, "Compact from a loaded
 * document"). A second snapshot at the same seq holds the same state, so it is ignored.
 */
export async function writePlanSnapshot(
  db: Database,
  planId: string,
  seq: number,
  data: Uint8Array,
): Promise<void> {
  await db.insert(planSnapshots).values({ planId, seq, data }).onConflictDoNothing();
}

/**
 * Deletes the updates a committed snapshot at `throughSeq` already folds; returns how many.
 * Call it only after `writePlanSnapshot(…, throughSeq, …)` has committed.
 */
export async function prunePlanUpdates(
  db: Database,
  planId: string,
  throughSeq: number,
): Promise<number> {
  const deleted = await db
    .delete(planUpdates)
    .where(and(eq(planUpdates.planId, planId), lte(planUpdates.seq, throughSeq)))
    .returning({ seq: planUpdates.seq });
  return deleted.length;
}

/**
 * Deletes all but the `keep` latest snapshots of a plan; returns how many. The latest one is
 * never deleted, whoever runs this and whenever: it is what every load starts from.
 */
export async function prunePlanSnapshots(
  db: Database,
  planId: string,
  keep: number,
): Promise<number> {
  if (keep < 1) throw new RangeError('keep at least the latest snapshot');
  const [boundary] = await db
    .select({ seq: planSnapshots.seq })
    .from(planSnapshots)
    .where(eq(planSnapshots.planId, planId))
    .orderBy(desc(planSnapshots.seq))
    .offset(keep - 1)
    .limit(1);
  if (!boundary) return 0;
  const deleted = await db
    .delete(planSnapshots)
    .where(and(eq(planSnapshots.planId, planId), lt(planSnapshots.seq, boundary.seq)))
    .returning({ seq: planSnapshots.seq });
  return deleted.length;
}

export interface PlanLogStatus {
  /** The seq of the latest snapshot; null without one. */
  snapshotSeq: number | null;
  snapshotCount: number;
  /** The updates after the latest snapshot: what a load replays. */
  tailCount: number;
  tailBytes: number;
  /** Updates the latest snapshot already folds, left by an interrupted compaction. */
  foldedCount: number;
}

/** How much a compaction of the plan would fold and prune, without reading the log itself. */
export async function readPlanLogStatus(db: Database, planId: string): Promise<PlanLogStatus> {
  return db.transaction(
    async (tx) => {
      const [snapshots] = await tx
        .select({
          seq: sql<number | null>`max(${planSnapshots.seq})`.mapWith(Number),
          count: count(),
        })
        .from(planSnapshots)
        .where(eq(planSnapshots.planId, planId));
      const snapshotSeq = snapshots?.seq ?? null;
      const after = snapshotSeq ?? -1;
      const [updates] = await tx
        .select({
          tailCount: sql<number>`count(*) filter (where ${planUpdates.seq} > ${after})`.mapWith(
            Number,
          ),
          tailBytes:
            sql<number>`coalesce(sum(octet_length(${planUpdates.data})) filter (where ${planUpdates.seq} > ${after}), 0)`.mapWith(
              Number,
            ),
          foldedCount: sql<number>`count(*) filter (where ${planUpdates.seq} <= ${after})`.mapWith(
            Number,
          ),
        })
        .from(planUpdates)
        .where(eq(planUpdates.planId, planId));
      return {
        snapshotSeq,
        snapshotCount: snapshots?.count ?? 0,
        tailCount: updates?.tailCount ?? 0,
        tailBytes: updates?.tailBytes ?? 0,
        foldedCount: updates?.foldedCount ?? 0,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
