/**
 * The automatic daily version: the first commit of a plan on a UTC day saves the room's document
 * as it stands after that commit. Off the commit path: the hook only notes the day; the encoding
 * and the insert run on a later turn, and a failure is logged and tried again on the next commit.
 * Several instances committing the same plan save one version a day (the insert checks under the
 * plan row's lock).
 */
import * as Y from 'yjs';

import type { Database } from '../../db/database';
import { insertDailyVersionOnce } from '../../db/queries/plan-versions';
import type { Logger } from '../logger';
import type { PlanRoom } from '../sync/plan-room';

function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export class DailyVersions {
  /** Plan id → the UTC day (ms) a version was saved, or is being saved, for. */
  private readonly savedFor = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly database: () => Database,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** PlanRoomHooks.committed. */
  committed(room: PlanRoom): void {
    const now = this.now();
    const dayStart = utcDayStart(now);
    if (this.savedFor.get(room.planId) === dayStart.getTime()) return;
    this.savedFor.set(room.planId, dayStart.getTime());
    const saving = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.save(room, dayStart, now))
      .finally(() => this.inFlight.delete(saving));
    this.inFlight.add(saving);
  }

  /** Resolves once every save started so far is done (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async save(room: PlanRoom, dayStart: Date, now: Date): Promise<void> {
    try {
      const seq = room.seq;
      const data = Y.encodeStateAsUpdate(room.doc);
      const saved = await insertDailyVersionOnce(
        this.database(),
        { planId: room.planId, seq, data, createdBy: null, createdAt: now },
        dayStart,
      );
      if (saved) this.log.debug({ planId: room.planId, seq }, 'daily version saved');
    } catch (error) {
      this.savedFor.delete(room.planId);
      this.log.warn({ planId: room.planId, err: error }, 'could not save the daily version');
    }
  }
}
