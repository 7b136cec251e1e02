/** Accounts. Emails are stored lower-cased; every lookup and insert normalises the same way. */
import { eq, inArray, sql } from 'drizzle-orm';

import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../database';
import { users, type User } from '../schema';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Database, email: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .limit(1);
  return user ?? null;
}

export async function findUserById(db: Database, id: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user ?? null;
}

export interface NewUserInput {
  email: string;
  name: string;
  organisationCode: OrganisationCode;
  passwordHash: string;
  locale?: string | null;
}

/**
 * Inserts an account. An email already taken throws the driver's unique violation; recognise it
 * with `isUniqueViolation(error, 'users_email_unique')`.
 */
export async function insertUser(db: Database, input: NewUserInput): Promise<User> {
  try {
    const [user] = await db
      .insert(users)
      .values({ ...input, email: normaliseEmail(input.email), name: input.name.trim() })
      .returning();
    if (!user) throw new Error('insert into users returned no row');
    return user;
  } catch (error) {
    // Drizzle's wrapper puts the query's parameters, the password hash among them, in its
    // message; rethrow the driver's own error so that no log line ever carries the hash.
    throw error instanceof Error && error.cause instanceof Error ? error.cause : error;
  }
}

/** Ends every session issued so far (see server/auth/session-version.ts); the new version. */
export async function bumpSessionVersion(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  return row?.sessionVersion ?? 0;
}

/** Stores a new password hash and ends every session issued before it. */
export async function setPasswordHash(
  db: Database,
  userId: string,
  passwordHash: string,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** The current session versions of these users (for the open-connection watch). */
export async function listSessionVersions(
  db: Database,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(inArray(users.id, [...userIds]));
  return new Map(rows.map((row) => [row.id, row.sessionVersion]));
}
