/**
 * Public read-only links to a plan's progress board (`share_links`). Only the token's SHA-256 is
 * stored; callers hash (server/use-cases/share-links.ts). Queries trust their caller: who may
 * create or revoke is checked by the use case.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';

import type { Database } from '../database';
import { plans, shareLinks, users } from '../schema';

export interface ShareLinkRecord {
  id: string;
  createdAt: Date;
  createdByName: string | null;
}

export async function insertShareLink(
  db: Database,
  input: { planId: string; tokenHash: string; createdBy: string },
): Promise<{ id: string; createdAt: Date }> {
  const [row] = await db
    .insert(shareLinks)
    .values(input)
    .returning({ id: shareLinks.id, createdAt: shareLinks.createdAt });
  if (!row) throw new Error('insert into share_links returned no row');
  return row;
}

/** A plan's links that still work, newest first. */
export async function listActiveShareLinks(
  db: Database,
  planId: string,
): Promise<ShareLinkRecord[]> {
  return db
    .select({ id: shareLinks.id, createdAt: shareLinks.createdAt, createdByName: users.name })
    .from(shareLinks)
    .leftJoin(users, eq(users.id, shareLinks.createdBy))
    .where(and(eq(shareLinks.planId, planId), isNull(shareLinks.revokedAt)))
    .orderBy(desc(shareLinks.createdAt));
}

/** Revokes one active link of the plan; false when there is none such (or it is revoked). */
export async function revokeShareLink(
  db: Database,
  planId: string,
  linkId: string,
): Promise<boolean> {
  const rows = await db
    .update(shareLinks)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(shareLinks.id, linkId), eq(shareLinks.planId, planId), isNull(shareLinks.revokedAt)),
    )
    .returning({ id: shareLinks.id });
  return rows.length > 0;
}

/** The active link with this token hash, and its plan; null when unknown or revoked. */
export async function findActiveShareLink(
  db: Database,
  tokenHash: string,
): Promise<{ linkId: string; plan: { id: string; slug: string; title: string } } | null> {
  const [row] = await db
    .select({
      linkId: shareLinks.id,
      planId: plans.id,
      slug: plans.slug,
      title: plans.title,
    })
    .from(shareLinks)
    .innerJoin(plans, eq(plans.id, shareLinks.planId))
    .where(and(eq(shareLinks.tokenHash, tokenHash), isNull(shareLinks.revokedAt)))
    .limit(1);
  if (!row) return null;
  return { linkId: row.linkId, plan: { id: row.planId, slug: row.slug, title: row.title } };
}
