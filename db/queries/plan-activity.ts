/**
 * The activity log (`plan_activity`): who changed what, computed by server/projection. A burst
 * of edits of one kind to one item by one person folds into the newest such entry while it is
 * fresh: the entry keeps its first "from", takes the latest "to", and moves its `updated_at`.
 */
import { and, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';

import type { ActivityDetail, ActivityKind } from '../../domain/activity';
import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../database';
import { planActivity, users } from '../schema';

/** How long an entry stays open to the next edit of the same kind by the same person. */
export const activityFoldWindowMs = 10 * 60 * 1000;

/** The kinds a burst folds; a status change or a move is an event of its own every time. */
const foldedKinds: ReadonlySet<ActivityKind> = new Set([
  'renamed',
  'description',
  'progress',
  'dates',
  'indicator',
]);

export interface NewActivity {
  planId: string;
  itemId: string;
  itemTitle: string;
  actorId: string | null;
  detail: ActivityDetail;
  seq: number;
}

/** A stored entry with its actor, as the API sends it (but Dates). */
export interface ActivityRecord {
  id: string;
  planId: string;
  itemId: string;
  itemTitle: string;
  actorId: string | null;
  actorName: string | null;
  actorOrganisation: OrganisationCode | null;
  detail: ActivityDetail;
  seq: number;
  createdAt: Date;
  updatedAt: Date;
}

const recordColumns = {
  id: planActivity.id,
  planId: planActivity.planId,
  itemId: planActivity.itemId,
  itemTitle: planActivity.itemTitle,
  actorId: planActivity.actorId,
  actorName: users.name,
  actorOrganisation: users.organisationCode,
  detail: planActivity.detail,
  seq: planActivity.seq,
  createdAt: planActivity.createdAt,
  updatedAt: planActivity.updatedAt,
};

type RecordRow = Omit<ActivityRecord, 'detail'> & { detail: unknown };
const toRecord = (row: RecordRow): ActivityRecord => ({
  ...row,
  detail: row.detail as ActivityDetail,
});

/** Folds `next` into `open`: the first "from" stays, the rest is the latest. */
function foldDetail(open: ActivityDetail, next: ActivityDetail): ActivityDetail {
  if ('from' in open && 'from' in next) return { ...next, from: open.from } as ActivityDetail;
  return next;
}

function foldKey(entry: NewActivity): string | null {
  if (!foldedKinds.has(entry.detail.kind)) return null;
  const indicator = entry.detail.kind === 'indicator' ? entry.detail.indicatorId : '';
  return `${entry.planId}\u0000${entry.itemId}\u0000${entry.actorId ?? ''}\u0000${entry.detail.kind}\u0000${indicator}`;
}

/**
 * Writes entries in order, folding each into a fresh one of the same plan, item, actor and kind
 * (and indicator) where its kind folds. Returns the entries written or folded into, each once,
 * in the order last touched.
 *
 * A few statements per call however many entries (the projector calls it once per write of a
 * plan, and it shares the pool with the commits): read the open entries of every key at once,
 * fold in memory, then one UPDATE … FROM (VALUES …) and one multi-row INSERT, in a transaction.
 */
export async function recordActivity(
  db: Database,
  entries: readonly NewActivity[],
): Promise<ActivityRecord[]> {
  // Fold within the batch first: a burst that reached one write costs one row.
  const merged: NewActivity[] = [];
  const openInBatch = new Map<string, number>();
  for (const entry of entries) {
    const key = foldKey(entry);
    const at = key === null ? undefined : openInBatch.get(key);
    if (at !== undefined) {
      const open = merged[at] as NewActivity;
      merged[at] = { ...entry, detail: foldDetail(open.detail, entry.detail) };
      continue;
    }
    if (key !== null) openInBatch.set(key, merged.length);
    merged.push(entry);
  }
  if (merged.length === 0) return [];
  const ids = await db.transaction(async (tx) => {
    const foldable = merged.filter((entry) => foldedKinds.has(entry.detail.kind));
    const open = new Map<string, { id: string; detail: ActivityDetail }>();
    if (foldable.length > 0) {
      const indicatorKey = sql`coalesce(${planActivity.detail}->>'indicatorId', '')`;
      const candidates = await tx
        .selectDistinctOn(
          [
            planActivity.planId,
            planActivity.itemId,
            planActivity.actorId,
            planActivity.kind,
            indicatorKey,
          ],
          {
            id: planActivity.id,
            planId: planActivity.planId,
            itemId: planActivity.itemId,
            actorId: planActivity.actorId,
            kind: planActivity.kind,
            detail: planActivity.detail,
          },
        )
        .from(planActivity)
        .where(
          and(
            inArray(planActivity.planId, [...new Set(foldable.map((entry) => entry.planId))]),
            inArray(planActivity.itemId, [...new Set(foldable.map((entry) => entry.itemId))]),
            inArray(planActivity.kind, [...foldedKinds]),
            gt(
              planActivity.updatedAt,
              sql`now() - ${`${activityFoldWindowMs} milliseconds`}::interval`,
            ),
          ),
        )
        .orderBy(
          planActivity.planId,
          planActivity.itemId,
          planActivity.actorId,
          planActivity.kind,
          indicatorKey,
          desc(planActivity.updatedAt),
        );
      for (const candidate of candidates) {
        const detail = candidate.detail as ActivityDetail;
        const key = foldKey({
          planId: candidate.planId,
          itemId: candidate.itemId,
          itemTitle: '',
          actorId: candidate.actorId,
          detail,
          seq: 0,
        });
        if (key !== null) open.set(key, { id: candidate.id, detail });
      }
    }
    const updates: Array<{ id: string; detail: ActivityDetail; title: string; seq: number }> = [];
    const inserts: NewActivity[] = [];
    const order: Array<{ update: number } | { insert: number }> = [];
    for (const entry of merged) {
      const key = foldKey(entry);
      const fresh = key === null ? undefined : open.get(key);
      if (fresh) {
        order.push({ update: updates.length });
        updates.push({
          id: fresh.id,
          detail: foldDetail(fresh.detail, entry.detail),
          title: entry.itemTitle,
          seq: entry.seq,
        });
      } else {
        order.push({ insert: inserts.length });
        inserts.push(entry);
      }
    }
    if (updates.length > 0) {
      const values = sql.join(
        updates.map(
          (update) =>
            sql`(${update.id}::uuid, ${JSON.stringify(update.detail)}::jsonb, ${update.title}::text, ${update.seq}::bigint)`,
        ),
        sql`, `,
      );
      await tx.execute(
        sql`update plan_activity as a set detail = v.detail, item_title = v.title, seq = greatest(a.seq, v.seq), updated_at = now() from (values ${values}) as v(id, detail, title, seq) where a.id = v.id`,
      );
    }
    const inserted =
      inserts.length === 0
        ? []
        : await tx
            .insert(planActivity)
            .values(
              inserts.map((entry) => ({
                planId: entry.planId,
                itemId: entry.itemId,
                itemTitle: entry.itemTitle,
                actorId: entry.actorId,
                kind: entry.detail.kind,
                detail: entry.detail,
                seq: entry.seq,
              })),
            )
            .returning({ id: planActivity.id });
    return order.map((slot) =>
      'update' in slot
        ? (updates[slot.update] as { id: string }).id
        : (inserted[slot.insert] as { id: string }).id,
    );
  });
  const unique = [...new Set(ids)];
  const rows = await db
    .select(recordColumns)
    .from(planActivity)
    .leftJoin(users, eq(users.id, planActivity.actorId))
    .where(inArray(planActivity.id, unique));
  const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/**
 * A page of a plan's activity (or one item's), newest first, before the entry `before` if
 * given. One more than `limit` is read to tell whether there is more.
 */
export async function listPlanActivity(
  db: Database,
  planId: string,
  options: { itemId?: string; before?: string; limit: number },
): Promise<{ entries: ActivityRecord[]; more: boolean }> {
  const conditions: SQL[] = [eq(planActivity.planId, planId)];
  if (options.itemId !== undefined) conditions.push(eq(planActivity.itemId, options.itemId));
  if (options.before !== undefined) {
    const [cursor] = await db
      .select({ id: planActivity.id })
      .from(planActivity)
      .where(and(eq(planActivity.planId, planId), eq(planActivity.id, options.before)))
      .limit(1);
    if (!cursor) return { entries: [], more: false };
    // Compared in SQL: timestamps keep microseconds there, a JavaScript Date only milliseconds.
    conditions.push(
      sql`(${planActivity.updatedAt}, ${planActivity.id}) < (select a.updated_at, a.id from plan_activity a where a.id = ${cursor.id})`,
    );
  }
  const rows = await db
    .select(recordColumns)
    .from(planActivity)
    .leftJoin(users, eq(users.id, planActivity.actorId))
    .where(and(...conditions))
    .orderBy(desc(planActivity.updatedAt), desc(planActivity.id))
    .limit(options.limit + 1);
  return {
    entries: rows.slice(0, options.limit).map(toRecord),
    more: rows.length > options.limit,
  };
}
