/**
 * A new plan, from scratch (its meta and, if asked, a list of workstreams) or as a copy of the
 * structure of a plan the creator is a member of (domain/copy-plan.ts). The creator becomes its
 * only owner. The plan row, the owner and the first document (the snapshot at seq 0, as the seed
 * stores its plan) are written in one transaction.
 */
import * as Y from 'yjs';
import { z } from 'zod';

import { copyPlanStructure } from '../../domain/copy-plan';
import { DomainError } from '../../domain/domain-error';
import { organisationCodes } from '../../domain/organisations';
import {
  createWorkstream,
  findPlanProblem,
  initialisePlan,
  planLimits,
  preparePlanDocument,
  type PlanMeta,
} from '../../domain/plan-document';
import { isPlanSlug } from '../../domain/sync-protocol';
import { getCurrentDatabase } from '../../db/database';
import { isUniqueViolation } from '../../db/is-unique-violation';
import { loadPlanLog } from '../../db/queries/plan-log';
import { insertPlanWithOwner } from '../../db/queries/plans';
import { getPlanAccess } from './get-plan-access';

const reservedSlugs = new Set(['new']);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  });

export const createPlanInput = z
  .object({
    title: z.string().trim().min(1).max(planLimits.planTitleLength),
    // "new" is the address of the new-plan page itself.
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .refine((slug) => isPlanSlug(slug) && !reservedSlugs.has(slug)),
    periodStart: isoDate,
    periodEnd: isoDate,
    partners: z
      .array(z.enum(organisationCodes))
      .max(organisationCodes.length)
      .transform((codes) => organisationCodes.filter((code) => codes.includes(code))),
    source: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('blank'),
        workstreams: z
          .array(z.string().trim().min(1).max(planLimits.workstreamNameLength))
          .max(planLimits.workstreams),
      }),
      z.object({ kind: z.literal('copy'), slug: z.string().min(1).max(64) }),
    ]),
  })
  .refine((input) => input.periodStart <= input.periodEnd, {
    path: ['periodEnd'],
    message: 'the period ends before it starts',
  });

export type CreatePlanResult =
  | { ok: true; slug: string }
  | { ok: false; problem: 'invalid'; field: string }
  | { ok: false; problem: 'slug_taken' };

async function loadDocument(planId: string): Promise<Y.Doc> {
  const log = await loadPlanLog(getCurrentDatabase().db, planId);
  const doc = preparePlanDocument(new Y.Doc());
  if (log.snapshot) Y.applyUpdate(doc, log.snapshot.data);
  for (const update of log.updates) Y.applyUpdate(doc, update.data);
  return doc;
}

export async function createPlan(userId: string, input: unknown): Promise<CreatePlanResult> {
  const parsed = createPlanInput.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problem: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? '') };
  }
  const { title, slug, periodStart, periodEnd, partners, source } = parsed.data;
  const meta: PlanMeta = { title, periodStart, periodEnd, partners };
  const doc = preparePlanDocument(new Y.Doc());
  try {
    if (source.kind === 'copy') {
      // Any member may copy: the structure is what they can read already.
      const from = await getPlanAccess(source.slug, userId);
      const original = await loadDocument(from.plan.id);
      try {
        copyPlanStructure(original, doc, meta);
      } finally {
        original.destroy();
      }
    } else {
      doc.transact(() => {
        initialisePlan(doc, meta);
        for (const name of source.workstreams) createWorkstream(doc, { name });
      });
    }
    const problem = findPlanProblem(doc);
    if (problem) throw new DomainError('invalid_document', `the new plan is invalid: ${problem}`);
    await insertPlanWithOwner(getCurrentDatabase().db, {
      slug,
      title,
      ownerId: userId,
      document: Y.encodeStateAsUpdate(doc),
    });
    return { ok: true, slug };
  } catch (error) {
    if (isUniqueViolation(error, 'plans_slug_unique')) return { ok: false, problem: 'slug_taken' };
    throw error;
  } finally {
    doc.destroy();
  }
}
