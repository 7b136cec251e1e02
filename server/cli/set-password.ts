import type { Database } from '../../db/database';
import { findUserByEmail, setPasswordHash } from '../../db/queries/users';
import { hashPassword } from '../auth/passwords';
import { CliError } from './cli-error';

/**
 * Sets a user's password (a forgotten one, or a suspected leak); returns the line to print. Every
 * session of the user ends: a running server closes their open connections within seconds
 * (server/sync/session-watch.ts).
 */
export async function setPassword(
  db: Database,
  input: { email: string; password: string },
): Promise<string> {
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new CliError(`no user with email ${input.email}`);
  await setPasswordHash(db, user.id, await hashPassword(input.password));
  return `set the password of ${user.email}; their sessions have ended`;
}
