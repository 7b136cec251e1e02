/**
 * The relational schema. Names are camelCase here and snake_case in SQL: every drizzle() call
 * and drizzle.config.ts use `casing: 'snake_case'`, so no column spells its SQL name.
 *
 * The plan document itself is not relational: it lives as a log of Yjs updates
 * (`plan_updates`) folded now and then into snapshots (`plan_snapshots`). `plans.update_seq`
 * is the log's counter; appending takes the next numbers while holding the plan row, which
 * orders the log (see DESIGN.md, "Order the log under a lock", and queries/plan-log.ts).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

import { activityKinds, type ActivityKind } from '../domain/activity';
import { notificationKinds, type NotificationKind } from '../domain/notifications';
import type { OrganisationCode } from '../domain/organisations';
import { roles, type Role } from '../domain/roles';
import { versionKinds, type VersionKind } from '../domain/versions';

/**
 * drizzle 0.45 has no bytea column. postgres.js sends a Uint8Array as bytea and returns a Node
 * Buffer; PGlite returns a Uint8Array. We hand callers a plain Uint8Array either way (a copy, so
 * that no caller holds a view into postgres.js's shared Buffer pool).
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  fromDriver(value) {
    return new Uint8Array(value);
  },
});

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const organisations = pgTable('organisations', {
  code: text().$type<OrganisationCode>().primaryKey(),
  name: text().notNull(),
});

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    // Stored lower-cased (the queries normalise); the check makes a forgotten call site fail loudly
    // instead of creating a second account that differs only in case.
    email: text().notNull().unique(),
    name: text().notNull(),
    organisationCode: text()
      .$type<OrganisationCode>()
      .notNull()
      .references(() => organisations.code),
    passwordHash: text().notNull(),
    locale: text(),
    /**
     * Carried in each session (JWT); bumped by a sign-out or a password change, which ends every
     * session issued before it (server/auth/session-version.ts).
     */
    sessionVersion: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [check('users_email_lower_case', sql`${table.email} = lower(${table.email})`)],
);

export const plans = pgTable('plans', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  title: text().notNull(),
  /** The last sequence number handed out to this plan's update log. */
  updateSeq: bigint({ mode: 'number' }).notNull().default(0),
  /** Bumped by a restore, so that a client offline during it cannot silently undo it. */
  epoch: integer().notNull().default(0),
  /**
   * The log sequence number `plan_items` reflects; behind `update_seq` means a rebuild is due.
   * -1: never projected (0 is a real position: the seed's snapshot).
   */
  projectedSeq: bigint({ mode: 'number' }).notNull().default(-1),
  createdAt: createdAt(),
});

const sqlList = (values: readonly string[]) =>
  sql.raw(values.map((value) => `'${value}'`).join(', '));
const roleList = sqlList(roles);

export const planMembers = pgTable(
  'plan_members',
  {
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text().$type<Role>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.planId, table.userId] }),
    // "Which plans is this user in" runs on every page load; the primary key only serves planId.
    index('plan_members_user_id_index').on(table.userId),
    check('plan_members_role_check', sql`${table.role} in (${roleList})`),
  ],
);

export const planUpdates = pgTable(
  'plan_updates',
  {
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    seq: bigint({ mode: 'number' }).notNull(),
    data: bytea().notNull(),
    // Who sent the update, for the activity log; kept (as null) when the account goes.
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.planId, table.seq] })],
);

export const planSnapshots = pgTable(
  'plan_snapshots',
  {
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    /** The snapshot folds every update of the plan with a seq at or below this one. */
    seq: bigint({ mode: 'number' }).notNull(),
    data: bytea().notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.planId, table.seq] })],
);

/**
 * Which user a Yjs client id belongs to, per plan: the first user whose edits carried it.
 * A later user with the same id is refused; the activity log attributes changes through it.
 */
export const planClients = pgTable(
  'plan_clients',
  {
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    // Yjs client ids are unsigned 32-bit integers.
    clientId: bigint({ mode: 'number' }).notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.planId, table.clientId] })],
);

/**
 * Comments on a plan's items, in threads one level deep: a thread's first comment has no parent,
 * a reply's parent is that first comment on the same item (checked by the use case, which holds
 * the parent row). Deleting keeps the row, with an empty body, so the replies keep their thread.
 * `client_message_id` is the sender's id for the command that created the comment: a retried
 * command finds the row it stored instead of adding a second one.
 */
export const comments = pgTable(
  'comments',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    itemId: text().notNull(),
    parentId: uuid().references((): AnyPgColumn => comments.id, { onDelete: 'cascade' }),
    authorId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientMessageId: text().notNull(),
    body: text().notNull(),
    createdAt: createdAt(),
    editedAt: timestamp({ withTimezone: true }),
    deletedAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Plan members the body @mentions, as the author picked them (checked to be members). */
    mentions: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (table) => [
    unique('comments_author_client_message_unique').on(table.authorId, table.clientMessageId),
    // An item's comments, oldest first: the only listing there is.
    index('comments_plan_item_index').on(table.planId, table.itemId, table.createdAt),
    check(
      'comments_resolved_only_on_roots',
      sql`${table.parentId} is null or ${table.resolvedAt} is null`,
    ),
  ],
);

/**
 * The relational projection of the plan document: one row per item, rewritten by the server
 * after each commit that touches the item (server/projection). Notifications, the activity log
 * and reports read these rows, never the Yjs document. `projected_seq` is the plan log's sequence
 * number the row was computed at: a write never replaces a row with an older one.
 */
export const planItems = pgTable(
  'plan_items',
  {
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    itemId: text().notNull(),
    title: text().notNull(),
    workstreamId: text().notNull(),
    workstreamName: text().notNull(),
    /** The workstream's position in the plan, so that readers list workstreams in its order. */
    workstreamPosition: text().notNull().default(''),
    status: text().notNull(),
    leadOrganisation: text().$type<OrganisationCode>().notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }).notNull(),
    progress: integer().notNull(),
    position: text().notNull(),
    owners: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** [{ id, name, unit, baseline, target, actual }], in the item's order. */
    indicators: jsonb()
      .notNull()
      .default(sql`'[]'::jsonb`),
    projectedSeq: bigint({ mode: 'number' }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.planId, table.itemId] }),
    // "Due within a week" scans by end date across plans.
    index('plan_items_end_date_index').on(table.endDate),
  ],
);

/**
 * Who changed what and when, computed by the server from the document's own changes (see
 * server/projection). A burst of edits of one field of one item by one person folds into one
 * entry: `detail` keeps the first "from" and the latest "to", `updated_at` moves on.
 */
export const planActivity = pgTable(
  'plan_activity',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    itemId: text().notNull(),
    /** The item's title when the entry was written (the item may be gone since). */
    itemTitle: text().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    kind: text().$type<ActivityKind>().notNull(),
    detail: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The last plan log sequence number folded into this entry. */
    seq: bigint({ mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('plan_activity_plan_index').on(table.planId, table.updatedAt),
    index('plan_activity_item_index').on(table.planId, table.itemId, table.updatedAt),
    check('plan_activity_kind_check', sql`${table.kind} in (${sqlList(activityKinds)})`),
  ],
);

/** A member follows a whole plan (`item_id` = '') or one of its items. */
export const follows = pgTable(
  'follows',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    itemId: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.planId, table.itemId] }),
    // "Who follows this item or its plan" runs for every comment and status change.
    index('follows_plan_item_index').on(table.planId, table.itemId),
  ],
);

/**
 * One user's notification. `dedupe_key` names the event it reports ("comment:<id>",
 * "due:<item>:<date>"): a unique constraint, so a retry or a second instance never notifies twice.
 * `emailed_at` is set once an e-mail digest carried it.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    itemId: text(),
    kind: text().$type<NotificationKind>().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    commentId: uuid().references(() => comments.id, { onDelete: 'cascade' }),
    detail: jsonb()
      .notNull()
      .default(sql`'{}'::jsonb`),
    dedupeKey: text().notNull(),
    createdAt: createdAt(),
    readAt: timestamp({ withTimezone: true }),
    emailedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    unique('notifications_user_dedupe_unique').on(table.userId, table.dedupeKey),
    index('notifications_user_index').on(table.userId, table.createdAt),
    check('notifications_kind_check', sql`${table.kind} in (${sqlList(notificationKinds)})`),
  ],
);

/**
 * A public, read-only link to a plan's progress board. The token is shown once to the owner who
 * makes it; only its SHA-256 is stored (a 256-bit random token needs no slow hash). Revoking sets
 * `revoked_at`: the link stops working at once, and open public boards on it disconnect.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('share_links_plan_index').on(table.planId)],
);

/**
 * A member's secret iCal feed of a plan's activities, all of them or one organisation's
 * (`organisation_code`). Works only while its user is still a member and it is not revoked.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationCode: text()
      .$type<OrganisationCode>()
      .references(() => organisations.code),
    tokenHash: text().notNull().unique(),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('calendar_feeds_plan_user_index').on(table.planId, table.userId)],
);

/**
 * An invitation to join a plan with a role. Single use (`accepted_at`), expiring, revocable; the
 * token's SHA-256 only is stored. The role is the owner's choice: the invitee cannot change it.
 * `organisation_code` is what a new account made by accepting belongs to.
 */
export const invites = pgTable(
  'invites',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: text().$type<Role>().notNull(),
    organisationCode: text()
      .$type<OrganisationCode>()
      .references(() => organisations.code),
    tokenHash: text().notNull().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('invites_plan_index').on(table.planId, table.createdAt),
    check('invites_email_lower_case', sql`${table.email} = lower(${table.email})`),
    check('invites_role_check', sql`${table.role} in (${roleList})`),
  ],
);

/**
 * A saved version of a plan document: `Y.encodeStateAsUpdate` of the document as it was at log
 * position `seq`. Made automatically (once a day while the plan is edited, and before every
 * restore) or by a member who names it. Kept apart from `plan_snapshots`, which compaction
 * replaces.
 */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    kind: text().$type<VersionKind>().notNull(),
    /** Set for named versions. */
    name: text(),
    seq: bigint({ mode: 'number' }).notNull(),
    data: bytea().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    index('plan_versions_plan_index').on(table.planId, table.createdAt),
    check('plan_versions_kind_check', sql`${table.kind} in (${sqlList(versionKinds)})`),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Plan = typeof plans.$inferSelect;
export type NewPlan = typeof plans.$inferInsert;
export type PlanMember = typeof planMembers.$inferSelect;
export type NewPlanMember = typeof planMembers.$inferInsert;
export type PlanUpdate = typeof planUpdates.$inferSelect;
export type PlanSnapshot = typeof planSnapshots.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;
export type PlanItemRow = typeof planItems.$inferSelect;
export type PlanActivityRow = typeof planActivity.$inferSelect;
export type FollowRow = typeof follows.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type ShareLinkRow = typeof shareLinks.$inferSelect;
export type CalendarFeedRow = typeof calendarFeeds.$inferSelect;
export type InviteRow = typeof invites.$inferSelect;
export type PlanVersionRow = typeof planVersions.$inferSelect;

/**
 * Failed sign-ins per key (an account's e-mail or a client address) in a fixed window, when no
 * Redis is configured (server/auth/sign-in-throttle.ts). Rows of past windows are overwritten by
 * the next failure of the same key and swept now and then.
 */
export const signInFailures = pgTable('sign_in_failures', {
  key: text().primaryKey(),
  failures: integer().notNull(),
  windowEndsAt: timestamp({ withTimezone: true }).notNull(),
});
