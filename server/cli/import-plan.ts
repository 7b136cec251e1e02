/**
 * `plan import`: a portable plan file into this database, in one transaction, so a refused or
 * failed import leaves nothing behind.
 *
 * Accounts are matched by e-mail; an existing one is used as it is (its name and organisation are
 * not changed). A missing one is created with a password hash that matches no password: that
 * person signs in only once an operator sets a password (`user set-password`). Comment ids are kept
 * unless one is already taken in this database (a second import of the same file under another
 * slug): then every comment gets a new id, threads and retries ids remapped with them.
 */
import { randomUUID } from 'node:crypto';

import { inArray } from 'drizzle-orm';
import * as Y from 'yjs';

import { findPlanProblem, preparePlanDocument } from '../../domain/plan-document';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/is-unique-violation';
import { upsertOrganisations } from '../../db/queries/organisations';
import { writePlanSnapshot } from '../../db/queries/plan-log';
import { findPlanBySlug } from '../../db/queries/plans';
import { comments, planMembers, plans, users } from '../../db/schema';
import { CliError } from './cli-error';
import { planFileSchema, type PlanFile } from './plan-file';
import { planSlugPattern } from '../../domain/sync-protocol';

/** Stored for an account made by an import: not a PHC string, so no password verifies. */
export const noPasswordHash = '!imported-without-password';

/** Parses and checks a file's text; a CliError naming the first problems otherwise. */
export function parsePlanFile(text: string): PlanFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`not a plan file: ${(error as Error).message}`);
  }
  const result = planFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      .join('; ');
    throw new CliError(`not a valid plan file: ${problems}`);
  }
  const document = Buffer.from(result.data.document, 'base64');
  try {
    const doc = preparePlanDocument(new Y.Doc());
    Y.applyUpdate(doc, document);
    const broken = Boolean(doc.store.pendingStructs || doc.store.pendingDs);
    // The same check every update from a client passes: no plan the server would refuse.
    const problem = broken ? 'the update lacks some of its parts' : findPlanProblem(doc);
    doc.destroy();
    if (problem) throw new Error(problem);
  } catch (error) {
    throw new CliError(`not a valid plan file: document: ${(error as Error).message}`);
  }
  return result.data;
}

export async function importPlan(
  db: Database,
  file: PlanFile,
  options: { slug?: string } = {},
): Promise<string> {
  const slug = options.slug ?? file.plan.slug;
  if (!planSlugPattern.test(slug)) {
    throw new CliError(`"${slug}" is not a plan slug (lower-case letters, digits and dashes)`);
  }
  const taken = () =>
    new CliError(`a plan "${slug}" already exists; import under another with --slug NEW-SLUG`);
  if (await findPlanBySlug(db, slug)) throw taken();
  await upsertOrganisations(db);
  try {
    return await db.transaction(async (tx) => {
      const [plan] = await tx
        .insert(plans)
        .values({
          slug,
          title: file.plan.title,
          epoch: file.plan.epoch,
          createdAt: new Date(file.plan.createdAt),
        })
        .returning();
      if (!plan) throw new Error('insert into plans returned no row');
      await writePlanSnapshot(tx, plan.id, 0, Buffer.from(file.document, 'base64'));

      const emails = file.users.map((user) => user.email);
      const existing =
        emails.length === 0
          ? []
          : await tx
              .select({ id: users.id, email: users.email })
              .from(users)
              .where(inArray(users.email, emails));
      const idOf = new Map(existing.map((user) => [user.email, user.id]));
      const missing = file.users.filter((user) => !idOf.has(user.email));
      if (missing.length > 0) {
        const created = await tx
          .insert(users)
          .values(
            missing.map((user) => ({
              email: user.email,
              name: user.name,
              organisationCode: user.organisation,
              passwordHash: noPasswordHash,
            })),
          )
          .returning({ id: users.id, email: users.email });
        for (const user of created) idOf.set(user.email, user.id);
      }
      const userId = (email: string) => {
        const id = idOf.get(email);
        if (!id) throw new Error(`no account for ${email}`);
        return id;
      };

      if (file.members.length > 0) {
        await tx.insert(planMembers).values(
          file.members.map((member) => ({
            planId: plan.id,
            userId: userId(member.email),
            role: member.role,
          })),
        );
      }

      const ids = file.comments.map((comment) => comment.id);
      const clash =
        ids.length > 0 &&
        (await tx.select({ id: comments.id }).from(comments).where(inArray(comments.id, ids)))
          .length > 0;
      const newId = new Map(ids.map((id) => [id, clash ? randomUUID() : id]));
      const mapped = (id: string) => newId.get(id) ?? id;
      // Inserted in slices: a statement has at most 65,535 parameters.
      for (let start = 0; start < file.comments.length; start += 1000) {
        await tx.insert(comments).values(
          file.comments.slice(start, start + 1000).map((comment) => ({
            id: mapped(comment.id),
            planId: plan.id,
            itemId: comment.itemId,
            parentId: comment.parentId === null ? null : mapped(comment.parentId),
            authorId: userId(comment.author),
            clientMessageId: clash ? `import:${mapped(comment.id)}` : comment.clientMessageId,
            body: comment.body,
            createdAt: new Date(comment.createdAt),
            editedAt: comment.editedAt ? new Date(comment.editedAt) : null,
            deletedAt: comment.deletedAt ? new Date(comment.deletedAt) : null,
            resolvedAt: comment.resolvedAt ? new Date(comment.resolvedAt) : null,
            resolvedBy: comment.resolvedBy ? userId(comment.resolvedBy) : null,
            mentions: comment.mentions.map(userId),
          })),
        );
      }
      const newUsers =
        missing.length === 0
          ? ''
          : `; ${missing.length} new account(s) without a password: ${missing
              .map((user) => user.email)
              .join(', ')} (set one with: user set-password --email EMAIL)`;
      return `imported plan ${slug} ("${file.plan.title}"): ${file.members.length} member(s), ${file.comments.length} comment(s)${clash ? ' (with new comment ids)' : ''}${newUsers}`;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'plans_slug_unique')) throw taken();
    throw error;
  }
}
