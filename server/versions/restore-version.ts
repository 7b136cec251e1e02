/**
 * An owner restores a saved version of a plan (DESIGN.md, "Restores bump an epoch"):
 *
 *   1. save the plan as it is (every accepted change committed first) as a `before-restore`
 *      version, so the restore itself can be undone by restoring that one;
 *   2. bump the plan's epoch: from now on a device copy made before the restore is refused
 *      (domain/sync-protocol.ts, 4410) before anything of it is merged;
 *   3. rewrite the live document to equal the version (`restorePlanVersion`) as one server-side
 *      edit of the room: appended to the log before anyone receives it, then sent to every open
 *      connection, which converges to the version like after any other change;
 *   4. tell the open connections the new epoch (after the update they already hold), here and,
 *      through the Redis bridge, on other instances;
 *   5. record a `restored` activity entry attributed to the owner.
 *
 * Restores of one plan run one at a time in this process.
 */
import * as Y from 'yjs';

import { DomainError } from '../../domain/domain-error';
import type { ActivityEntry } from '../../domain/activity';
import { restorePlanVersion } from '../../domain/plan-document';
import { canManagePlan } from '../../domain/roles';
import { versionIdSchema, type RestoreResult } from '../../domain/versions';
import { getCurrentDatabase } from '../../db/database';
import { recordActivity } from '../../db/queries/plan-activity';
import { bumpPlanEpoch, findPlanVersion, insertPlanVersion } from '../../db/queries/plan-versions';
import type { PlanRoom } from '../sync/plan-room';
import type { RoomRegistry } from '../sync/room-registry';
import { getPlanAccess } from '../use-cases/get-plan-access';
import { toActivityEntry } from '../use-cases/to-activity-entry';
import { versionDocument } from './load-plan-document';
import { toVersionSummary } from './to-version-summary';

export interface RestoreDependencies {
  registry: RoomRegistry;
  /** A room acquired for the restore (the Redis bridge tracks it). */
  roomAcquired?(room: PlanRoom): void;
  /** The restore committed at `seq` and the epoch is now `epoch` (tell other instances). */
  epochChanged?(room: PlanRoom, epoch: number, seq: number): void;
  /** The `restored` entry is stored (announce it to the plan's pages). */
  activityRecorded?(plan: { id: string; slug: string }, entry: ActivityEntry): void;
}

const restoring = new Map<string, Promise<unknown>>();

/** Runs `task` after every restore of the same plan started before it. */
function oneAtATime<T>(planId: string, task: () => Promise<T>): Promise<T> {
  const previous = restoring.get(planId) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(task);
  restoring.set(planId, next);
  void next
    .catch(() => {})
    .finally(() => {
      if (restoring.get(planId) === next) restoring.delete(planId);
    });
  return next;
}

export async function restoreVersion(
  deps: RestoreDependencies,
  slug: string,
  userId: string,
  versionId: string,
): Promise<RestoreResult> {
  const access = await getPlanAccess(slug, userId);
  if (!canManagePlan(access.role)) {
    throw new DomainError('forbidden', 'only an owner of the plan may restore a version');
  }
  const id = versionIdSchema.safeParse(versionId);
  if (!id.success) throw new DomainError('not_found', 'no such version');
  const { db } = getCurrentDatabase();
  const planId = access.plan.id;
  const version = await findPlanVersion(db, planId, id.data);
  if (!version) throw new DomainError('not_found', 'no such version');

  return oneAtATime(planId, async () => {
    const room = await deps.registry.acquire(planId);
    try {
      deps.roomAcquired?.(room);
      // What other instances committed, and what this one accepted, belongs in "before".
      await room.catchUp();
      await room.drain();
      const before = await insertPlanVersion(db, {
        planId,
        kind: 'before-restore',
        seq: room.seq,
        data: Y.encodeStateAsUpdate(room.doc),
        createdBy: userId,
      });
      const epoch = await bumpPlanEpoch(db, planId);
      const target = versionDocument(version.data);
      let seq: number;
      try {
        seq = await room.applyServerEdit(
          { kind: 'server-edit', reason: 'restore', user: { id: userId } },
          (doc) => restorePlanVersion(doc, target),
        );
      } finally {
        target.destroy();
      }
      room.announceEpoch(epoch);
      deps.epochChanged?.(room, epoch, seq);
      const [record] = await recordActivity(db, [
        {
          planId,
          itemId: '',
          itemTitle: '',
          actorId: userId,
          detail: {
            kind: 'restored',
            versionId: version.id,
            versionName: version.name,
            versionCreatedAt: version.createdAt.toISOString(),
          },
          seq,
        },
      ]);
      if (record) deps.activityRecorded?.(access.plan, toActivityEntry(record));
      return { epoch, seq, beforeRestore: toVersionSummary(before) };
    } finally {
      deps.registry.release(room);
    }
  });
}
