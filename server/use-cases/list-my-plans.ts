import type { Role } from '../../domain/roles';
import { getCurrentDatabase } from '../../db/database';
import { listPlansForUser } from '../../db/queries/members';

export async function listMyPlans(
  userId: string,
): Promise<Array<{ slug: string; title: string; role: Role }>> {
  return listPlansForUser(getCurrentDatabase().db, userId);
}
