import { z } from 'zod';

import type { OrganisationCode } from '../../domain/organisations';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/is-unique-violation';
import { upsertOrganisations } from '../../db/queries/organisations';
import { findUserByEmail, insertUser, normaliseEmail } from '../../db/queries/users';
import { hashPassword, minPasswordLength } from '../auth/passwords';
import { CliError } from './cli-error';

const emailSchema = z.email();

/** Checks what can be checked before the password is typed and the database opened. */
export function checkNewUserEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (!emailSchema.safeParse(normalised).success) {
    throw new CliError(`"${email}" is not an email address`);
  }
  return normalised;
}

export function checkNewPassword(password: string): void {
  if (password.length < minPasswordLength) {
    throw new CliError(`the password must have at least ${minPasswordLength} characters`);
  }
}

/** Creates an account; returns the line to print. */
export async function addUser(
  db: Database,
  input: { email: string; name: string; organisation: OrganisationCode; password: string },
): Promise<string> {
  const email = checkNewUserEmail(input.email);
  checkNewPassword(input.password);
  const taken = () => new CliError(`a user with email ${email} already exists`);
  // Checked before hashing, which is slow; the unique index still decides a race.
  if (await findUserByEmail(db, email)) throw taken();
  // A database the server has never started on has no organisations yet.
  await upsertOrganisations(db);
  const passwordHash = await hashPassword(input.password);
  try {
    await insertUser(db, {
      email,
      name: input.name,
      organisationCode: input.organisation,
      passwordHash,
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_unique')) throw taken();
    throw error;
  }
  return `created user ${email} (${input.name}, ${input.organisation})`;
}
