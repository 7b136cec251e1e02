/**
 * Roles change while people are connected: an owner removes or demotes a member, from the CLI,
 * another instance, or the members page. Every couple of seconds (and at once when this process
 * changed a plan's members: membership-signal.ts) this reads the current
 * roles of each plan that has live connections here and applies them: sync connections close
 * with 4403 (removed) or 4409 (role changed); socket.io sockets are told the new role, and
 * leave the plan's room when removed. Polling one small query per active plan keeps this correct across instances and
 * processes without a notification channel of its own.
 */
import type { Role } from '../../domain/roles';
import type { DatabaseHandle } from '../../db/database';
import { listMemberRoles } from '../../db/queries/members';
import type { Logger } from '../logger';
import { planRoomName, type RealtimeServer } from '../realtime/realtime-server';
import { onMembershipChanged } from './membership-signal';
import type { RoomRegistry } from './room-registry';

export interface MembershipWatch {
  /** Runs one check now (tests call it; the timer calls it every interval). */
  checkNow(): Promise<void>;
  stop(): void;
}

export function startMembershipWatch(options: {
  registry: RoomRegistry;
  io: RealtimeServer;
  database: DatabaseHandle;
  log: Logger;
  intervalMs: number;
}): MembershipWatch {
  const { registry, io, database, log } = options;
  let running: Promise<void> | null = null;

  function realtimePlanIds(): string[] {
    return [...io.of('/').adapter.rooms.keys()]
      .filter((name) => name.startsWith('plan:'))
      .map((name) => name.slice('plan:'.length));
  }

  function applyToSockets(planId: string, roles: ReadonlyMap<string, Role>): void {
    const members = io.of('/').adapter.rooms.get(planRoomName(planId));
    if (!members) return;
    for (const socketId of members) {
      const socket = io.of('/').sockets.get(socketId);
      if (!socket) continue;
      const role = roles.get(socket.data.userId) ?? null;
      const slug = socket.data.plans[planId];
      if (role === null) {
        delete socket.data.plans[planId];
        delete socket.data.roles[planId];
        void socket.leave(planRoomName(planId));
        if (slug) socket.emit('plan:access-changed', { plan: slug, role: null });
        continue;
      }
      // A new role stays in the room; the client shows or hides what it may now do (a commenter
      // demoted to viewer loses the composer). The server checks the role at each command anyway.
      if (socket.data.roles[planId] === role) continue;
      socket.data.roles[planId] = role;
      if (slug) socket.emit('plan:access-changed', { plan: slug, role });
    }
  }

  async function check(): Promise<void> {
    const planIds = new Set([...registry.loadedRoomIds(), ...realtimePlanIds()]);
    for (const planId of planIds) {
      const room = registry.loadedRoom(planId);
      if (
        (!room || room.connectionCount === 0) &&
        !io.of('/').adapter.rooms.has(planRoomName(planId))
      ) {
        continue;
      }
      try {
        const roles = await listMemberRoles(database.db, planId);
        room?.applyMembership(roles);
        applyToSockets(planId, roles);
      } catch (error) {
        // The database may be away for a moment; the next round tries again.
        log.warn({ err: error, planId }, 'could not check plan membership');
      }
    }
  }

  const checkNow = () => {
    running ??= check().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void checkNow(), options.intervalMs);
  timer.unref();
  // A change made in this process (the members page) is applied now; a check already running
  // may have read the roles before it, so one more follows it.
  const unsubscribe = onMembershipChanged(() => {
    void (running ?? Promise.resolve()).then(checkNow);
  });
  return {
    checkNow,
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
