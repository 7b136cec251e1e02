/**
 * The portable file of one plan (`plan export` / `plan import`): JSON, readable and diffable.
 *
 * - `document`: base64 of `Y.encodeStateAsUpdate` of the plan's document folded from its log
 *   (latest snapshot plus the updates after it). Item ids live inside it, so they are kept.
 * - `plan`: slug, title, epoch, creation time.
 * - `users`: every account the file names (members, comment authors, resolvers, mentioned
 *   people), by e-mail, with name and organisation. Never a password hash.
 * - `members`: e-mail and role.
 * - `comments`: ids kept, threads by `parentId`, resolved state and who resolved, mentions by
 *   e-mail, edit and delete times (a deleted comment keeps its row with an empty body).
 *
 * Not included: saved versions, the activity log, follows, notifications, share links, calendar
 * feeds, invitations, the Yjs client-id attribution. The importing server rebuilds the item
 * projection from the document on first load. `exportedAt` is the one field two exports of the
 * same plan differ in.
 *
 * The file is hostile input to `plan import`: everything is checked here, and the cross-references
 * (authors, parents, mentions) by `planFileSchema`'s refinements, before anything is written.
 */
import { z } from 'zod';

import { organisationCodes } from '../../domain/organisations';
import { roles } from '../../domain/roles';
import { commentLimits } from '../../domain/realtime-events';
import { planSlugPattern } from '../../domain/sync-protocol';

export const planFileFormat = 'coplan-plan';
export const planFileVersion = 1;

const email = z.email().max(320);
const isoTime = z.iso.datetime({ offset: true });
const noNul = (value: string) => !value.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, 'must not contain NUL');

const userSchema = z.strictObject({
  email,
  name: text(200).min(1),
  organisation: z.enum(organisationCodes),
});

const memberSchema = z.strictObject({ email, role: z.enum(roles) });

const commentSchema = z.strictObject({
  id: z.uuid(),
  itemId: z
    .string()
    .min(1)
    .max(commentLimits.itemIdLength)
    .regex(/^[A-Za-z0-9_-]+$/),
  parentId: z.uuid().nullable(),
  author: email,
  clientMessageId: z
    .string()
    .min(1)
    .max(commentLimits.clientMessageIdLength)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  body: text(commentLimits.bodyLength),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
  resolvedBy: email.nullable(),
  mentions: z.array(email).max(commentLimits.mentions),
});

export const planFileSchema = z
  .strictObject({
    format: z.literal(planFileFormat),
    version: z.literal(planFileVersion),
    exportedAt: isoTime,
    plan: z.strictObject({
      slug: z.string().regex(planSlugPattern, 'expected a plan slug'),
      title: text(500).min(1),
      epoch: z
        .int()
        .min(0)
        .max(2 ** 31 - 1),
      createdAt: isoTime,
    }),
    // 64 MB of base64: far beyond any real plan, small enough to hold in memory.
    document: z
      .base64()
      .min(1)
      .max(64 * 1024 * 1024),
    users: z.array(userSchema).max(100_000),
    members: z.array(memberSchema).max(100_000),
    comments: z.array(commentSchema).max(1_000_000),
  })
  .superRefine((file, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    const emails = new Set<string>();
    file.users.forEach((user, index) => {
      if (user.email !== user.email.toLowerCase()) {
        issue(['users', index, 'email'], 'e-mails are lower-case');
      }
      if (emails.has(user.email)) issue(['users', index, 'email'], 'listed twice');
      emails.add(user.email);
    });
    const known = (value: string, path: (string | number)[]) => {
      if (!emails.has(value)) issue(path, `${value} is not in users`);
    };
    const memberEmails = new Set<string>();
    file.members.forEach((member, index) => {
      known(member.email, ['members', index, 'email']);
      if (memberEmails.has(member.email)) issue(['members', index, 'email'], 'listed twice');
      memberEmails.add(member.email);
    });
    const roots = new Map<string, string>();
    const ids = new Set<string>();
    const clientIds = new Set<string>();
    file.comments.forEach((comment, index) => {
      const at = (field: string) => ['comments', index, field];
      if (ids.has(comment.id)) issue(at('id'), 'listed twice');
      ids.add(comment.id);
      const clientKey = `${comment.author} ${comment.clientMessageId}`;
      if (clientIds.has(clientKey)) issue(at('clientMessageId'), 'listed twice for this author');
      clientIds.add(clientKey);
      known(comment.author, at('author'));
      if (comment.resolvedBy) known(comment.resolvedBy, at('resolvedBy'));
      comment.mentions.forEach((mention, n) => known(mention, ['comments', index, 'mentions', n]));
      // Parents come before their replies (the export lists comments oldest first).
      if (comment.parentId === null) {
        roots.set(comment.id, comment.itemId);
      } else {
        if (roots.get(comment.parentId) !== comment.itemId) {
          issue(at('parentId'), 'not an earlier thread-starting comment on the same item');
        }
        if (comment.resolvedAt) issue(at('resolvedAt'), 'only a thread’s first comment resolves');
      }
      if (comment.body.trim() === '' && !comment.deletedAt) {
        issue(at('body'), 'empty, but the comment is not deleted');
      }
    });
  });

export type PlanFile = z.infer<typeof planFileSchema>;

/** The file's text: stable key order and indentation, so two exports compare line by line. */
export function serialisePlanFile(file: PlanFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
