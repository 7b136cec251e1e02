/**
 * Open connections end with their session (server/auth/session-version.ts): every couple of
 * seconds this reads the session versions of the users connected to this instance (one query)
 * and closes the sync connections (4401) and socket.io sockets of sessions issued before the
 * user's last sign-out or password change. A change made in this process is applied at once;
 * other instances see it at their next check.
 */
import type { DatabaseHandle } from '../../db/database';
import { listSessionVersions } from '../../db/queries/users';
import { onSessionsEnded } from '../auth/session-version';
import type { Logger } from '../logger';
import type { RealtimeServer } from '../realtime/realtime-server';

/** A connection opened with a session: who, which version, and how to end it. */
export interface LiveSession {
  userId: string;
  sessionVersion: number;
  end(): void;
}

export interface SessionWatch {
  /** Sync connections register here while open; returns the function that removes one. */
  track(session: LiveSession): () => void;
  checkNow(): Promise<void>;
  stop(): void;
}

export function startSessionWatch(options: {
  io: RealtimeServer;
  database: DatabaseHandle;
  log: Logger;
  intervalMs: number;
}): SessionWatch {
  const { io, database, log } = options;
  const tracked = new Set<LiveSession>();
  let running: Promise<void> | null = null;

  function liveSessions(): LiveSession[] {
    const sockets = [...io.of('/').sockets.values()].map((socket) => ({
      userId: socket.data.userId,
      sessionVersion: socket.data.sessionVersion,
      end: () => socket.disconnect(true),
    }));
    return [...tracked, ...sockets];
  }

  async function check(): Promise<void> {
    const sessions = liveSessions();
    if (sessions.length === 0) return;
    let versions: Map<string, number>;
    try {
      versions = await listSessionVersions(database.db, [
        ...new Set(sessions.map((s) => s.userId)),
      ]);
    } catch (error) {
      log.warn({ err: error }, 'could not check session versions');
      return;
    }
    for (const session of sessions) {
      // A deleted user has no version: their sessions end too.
      if (versions.get(session.userId) !== session.sessionVersion) session.end();
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
  const unsubscribe = onSessionsEnded(() => {
    void (running ?? Promise.resolve()).then(checkNow);
  });
  return {
    track(session) {
      tracked.add(session);
      return () => tracked.delete(session);
    },
    checkNow,
    stop() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
