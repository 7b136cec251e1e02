/** `plan export`: one plan as a portable file (see plan-file.ts for what it holds). */
import { asc, eq, inArray } from 'drizzle-orm';

import type { Database } from '../../db/database';
import { loadPlanLog } from '../../db/queries/plan-log';
import { findPlanBySlug } from '../../db/queries/plans';
import { comments, planMembers, users } from '../../db/schema';
import { foldPlanLog } from '../sync/fold-plan-log';
import { CliError } from './cli-error';
import { planFileFormat, planFileVersion, type PlanFile } from './plan-file';

const iso = (time: Date | null) => (time ? time.toISOString() : null);

export async function exportPlan(
  db: Database,
  slug: string,
  now: Date = new Date(),
): Promise<PlanFile> {
  const plan = await findPlanBySlug(db, slug);
  if (!plan) throw new CliError(`no plan "${slug}" (npm run coplan -- plan list shows them)`);
  // One snapshot of the database for the log, the members and the comments: repeatable read,
  // so a server writing meanwhile never gives a comment whose author the file lacks.
  return db.transaction(
    async (tx) => {
      const log = await loadPlanLog(tx, plan.id);
      const members = await tx
        .select({ userId: planMembers.userId, role: planMembers.role })
        .from(planMembers)
        .where(eq(planMembers.planId, plan.id));
      const rows = await tx
        .select()
        .from(comments)
        .where(eq(comments.planId, plan.id))
        .orderBy(asc(comments.createdAt), asc(comments.id));
      const userIds = new Set<string>(members.map((member) => member.userId));
      for (const row of rows) {
        userIds.add(row.authorId);
        if (row.resolvedBy) userIds.add(row.resolvedBy);
        for (const mention of row.mentions) userIds.add(mention);
      }
      const people =
        userIds.size === 0
          ? []
          : await tx
              .select({
                id: users.id,
                email: users.email,
                name: users.name,
                organisation: users.organisationCode,
              })
              .from(users)
              .where(inArray(users.id, [...userIds]));
      const emailOf = new Map(people.map((person) => [person.id, person.email]));
      const byId = (id: string) => {
        const found = emailOf.get(id);
        if (!found) throw new Error(`user ${id} vanished during the export`);
        return found;
      };
      const byEmail = (a: { email: string }, b: { email: string }) =>
        a.email.localeCompare(b.email);
      // Replies after their thread's first comment, whatever their timestamps say.
      const ordered = [
        ...rows.filter((row) => !row.parentId),
        ...rows.filter((row) => row.parentId),
      ];
      return {
        format: planFileFormat,
        version: planFileVersion,
        exportedAt: now.toISOString(),
        plan: {
          slug: plan.slug,
          title: plan.title,
          epoch: plan.epoch,
          createdAt: plan.createdAt.toISOString(),
        },
        document: Buffer.from((await foldPlanLog(log)).data).toString('base64'),
        users: people
          .map(({ email, name, organisation }) => ({ email, name, organisation }))
          .sort(byEmail),
        members: members.map((m) => ({ email: byId(m.userId), role: m.role })).sort(byEmail),
        comments: ordered.map((row) => ({
          id: row.id,
          itemId: row.itemId,
          parentId: row.parentId,
          author: byId(row.authorId),
          clientMessageId: row.clientMessageId,
          body: row.body,
          createdAt: row.createdAt.toISOString(),
          editedAt: iso(row.editedAt),
          deletedAt: iso(row.deletedAt),
          resolvedAt: iso(row.resolvedAt),
          resolvedBy: row.resolvedBy ? byId(row.resolvedBy) : null,
          mentions: row.mentions.map(byId),
        })),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
