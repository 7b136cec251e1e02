/**
 * Ending sessions. Sessions are next-auth JWTs, which nothing on the server stores; each carries
 * the user's `session_version` from when it was issued, and every entry point that reads a
 * session compares it with the stored one (find-session-user.ts). Bumping the version ends every
 * session of that user at once: a sign-out signs out every device, and so does a password
 * change.
 *
 * Why one version per user rather than a list of revoked session ids: one integer column that the
 * session check already reads (no second query on every request, no table to sweep), and on the
 * shared computers of a college lab "sign out" meaning "everywhere" is the safe reading. The cost
 * is that signing out on the lab computer signs the phone out too.
 *
 * Open connections end too: this process is told at once (the listeners below, on `globalThis`
 * because Next's bundle and the server evaluate this module separately), and every instance
 * compares its connections' versions every couple of seconds (sync/session-watch.ts).
 */
import { getCurrentDatabase } from '../../db/database';
import { bumpSessionVersion } from '../../db/queries/users';

type Listener = (userId: string) => void;

const listenersKey = Symbol.for('coplan.session-ended-listeners');
type SignalGlobal = typeof globalThis & { [listenersKey]?: Set<Listener> };
const signalGlobal = globalThis as SignalGlobal;

function listeners(): Set<Listener> {
  signalGlobal[listenersKey] ??= new Set();
  return signalGlobal[listenersKey];
}

/** Registers a listener told the id of a user whose sessions ended; returns its remover. */
export function onSessionsEnded(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function signalSessionsEnded(userId: string): void {
  for (const listener of listeners()) listener(userId);
}

/** Ends every session of this user (sign-out); returns the new version. */
export async function endAllSessions(userId: string): Promise<number> {
  const version = await bumpSessionVersion(getCurrentDatabase().db, userId);
  signalSessionsEnded(userId);
  return version;
}
