import { eq } from 'drizzle-orm';

import type { Database } from '../database';
import { planClients } from '../schema';

/** Yjs client id → user id, for one plan. */
export async function loadPlanClientOwners(
  db: Database,
  planId: string,
): Promise<Map<number, string>> {
  const rows = await db
    .select({ clientId: planClients.clientId, userId: planClients.userId })
    .from(planClients)
    .where(eq(planClients.planId, planId));
  return new Map(rows.map((row) => [row.clientId, row.userId]));
}

/**
 * Records first owners. An id already bound keeps its owner (the first writer wins, also across
 * instances); the caller already refused a different user in memory.
 */
export async function bindPlanClients(
  db: Database,
  planId: string,
  bindings: Array<{ clientId: number; userId: string }>,
): Promise<void> {
  if (bindings.length === 0) return;
  await db
    .insert(planClients)
    .values(bindings.map((binding) => ({ planId, ...binding })))
    .onConflictDoNothing();
}
