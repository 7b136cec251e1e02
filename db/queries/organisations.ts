/** Organisations are reference data: the domain's list is the source, the table follows it. */
import { sql } from 'drizzle-orm';

import { organisationCodes, organisationNames } from '../../domain/organisations';
import type { Database } from '../database';
import { organisations } from '../schema';

/** Inserts the domain's organisations, and renames any whose name changed. Idempotent. */
export async function upsertOrganisations(db: Database): Promise<void> {
  await db
    .insert(organisations)
    .values(organisationCodes.map((code) => ({ code, name: organisationNames[code] })))
    .onConflictDoUpdate({ target: organisations.code, set: { name: sql`excluded.name` } });
}
