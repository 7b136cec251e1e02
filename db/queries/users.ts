/** Accounts. Emails are stored lower-cased; every lookup and insert normalises the same way. */
import { eq } from 'drizzle-orm';

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
