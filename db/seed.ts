/**
 * Fills an empty database (one without plans) with the first plan, its document and, when
 * asked, demo accounts. The server calls it at every start; on a database that already has a
 * plan it only brings the organisations table up to date with the domain's list.
 *
 * The plan document is built with the domain's writers, like any other edit, and stored as the
 * plan's snapshot at seq 0: the log starts after it.
 */
import * as Y from 'yjs';

import type { OrganisationCode } from '../domain/organisations';
import {
  addChecklistEntry,
  addIndicator,
  createItem,
  createWorkstream,
  findPlanProblem,
  getItemDescription,
  initialisePlan,
  preparePlanDocument,
  setItemOwner,
  setItemTag,
  updateChecklistEntry,
} from '../domain/plan-document';
import { appendParagraphs } from '../domain/rich-text';
import type { Role } from '../domain/roles';
import type { Database } from './database';
import { upsertOrganisations } from './queries/organisations';
import { writePlanSnapshot } from './queries/plan-log';
import { planMembers, plans, users } from './schema';
import { seedContent } from './seed-content';

export interface SeedOptions {
  /** Create the demo accounts (the embedded database only); null on a real deployment. */
  demoAccounts: null | { hashPassword(password: string): Promise<string> };
  log?: (line: string) => void;
}

export interface DemoAccount {
  email: string;
  name: string;
  organisation: OrganisationCode;
  role: Role;
  password: string;
}

export interface SeedResult {
  /** True when this call created the plan (the database was empty). */
  created: boolean;
  /** The demo accounts this call created, with their password, for the server to print. */
  demoAccounts: DemoAccount[];
}

export async function seedDatabase(db: Database, options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  if (await hasAnyPlan(db)) {
    await upsertOrganisations(db);
    return { created: false, demoAccounts: [] };
  }

  // Hashing is slow on purpose; do it before the transaction rather than while holding it.
  const { demoPassword } = seedContent;
  const demoHash = options.demoAccounts
    ? await options.demoAccounts.hashPassword(demoPassword)
    : null;

  const result = await db.transaction(async (tx): Promise<SeedResult> => {
    await upsertOrganisations(tx);
    // Two instances starting together on one empty PostgreSQL both get here; the unique slug
    // lets exactly one of them insert, and the other does nothing.
    const [plan] = await tx
      .insert(plans)
      .values({ slug: seedContent.plan.slug, title: seedContent.plan.title })
      .onConflictDoNothing()
      .returning({ id: plans.id });
    if (!plan) return { created: false, demoAccounts: [] };

    const demoAccounts: DemoAccount[] = [];
    const userIds = new Map<string, string>();
    if (demoHash !== null) {
      for (const spec of seedContent.demoAccounts) {
        // An address someone already registered keeps its owner's password: not a demo account.
        const [user] = await tx
          .insert(users)
          .values({
            email: spec.email,
            name: spec.name,
            organisationCode: spec.organisation,
            passwordHash: demoHash,
          })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (!user) {
          log(`seed: ${spec.email} already exists, not made a demo account`);
          continue;
        }
        await tx.insert(planMembers).values({ planId: plan.id, userId: user.id, role: spec.role });
        demoAccounts.push({ ...spec, password: demoPassword });
        userIds.set(spec.email, user.id);
      }
    }
    await writePlanSnapshot(tx, plan.id, 0, buildPlanDocument(userIds));
    return { created: true, demoAccounts };
  });

  if (result.created) {
    const activityCount = seedContent.workstreams.reduce(
      (sum, workstream) => sum + workstream.activities.length,
      0,
    );
    log(
      `seed: created plan ${seedContent.plan.slug} with ${seedContent.workstreams.length} workstreams and ${activityCount} activities`,
    );
  }
  return result;
}

async function hasAnyPlan(db: Database): Promise<boolean> {
  const rows = await db.select({ id: plans.id }).from(plans).limit(1);
  return rows.length > 0;
}

/**
 * The seed plan as one Yjs update, built with the domain writers (the benchmark uses it too).
 * Owners are demo accounts, named by e-mail in the seed content; `userIds` maps them to the
 * accounts this seed created, and owners without an account are left out.
 */
export function buildPlanDocument(userIds: ReadonlyMap<string, string> = new Map()): Uint8Array {
  const doc = preparePlanDocument(new Y.Doc());
  try {
    const { title, periodStart, periodEnd } = seedContent.plan;
    initialisePlan(doc, { title, periodStart, periodEnd });
    for (const workstream of seedContent.workstreams) {
      const workstreamId = createWorkstream(doc, { name: workstream.name });
      for (const { details, ...activity } of workstream.activities) {
        const itemId = createItem(doc, { ...activity, workstreamId });
        if (!details) continue;
        for (const email of details.owners ?? []) {
          const userId = userIds.get(email);
          if (userId) setItemOwner(doc, itemId, userId, true);
        }
        for (const tag of details.tags ?? []) setItemTag(doc, itemId, tag);
        for (const [text, done] of details.checklist ?? []) {
          const entryId = addChecklistEntry(doc, itemId, text);
          if (done) updateChecklistEntry(doc, itemId, entryId, { done });
        }
        for (const indicator of details.indicators ?? []) addIndicator(doc, itemId, indicator);
        const description = getItemDescription(doc, itemId);
        if (description && details.description) {
          doc.transact(() => appendParagraphs(description, details.description ?? []));
        }
      }
    }
    // The writers validate each entry; this checks the whole, so a bad seed fails here, loudly,
    // rather than as a plan the server refuses to load.
    const problem = findPlanProblem(doc);
    if (problem) throw new Error(`the seed plan is invalid: ${problem}`);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
