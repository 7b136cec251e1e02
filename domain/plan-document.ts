/**
 * The plan document: one Yjs document per plan, shared by the browser and the server.
 *
 * This module is the only code that knows the document's keys. Everything else reads a plan
 * through `readPlan`/`readItem` (plain, validated objects) and changes it through the writers
 * below, each of which runs in one transaction so that a change arrives at other replicas whole.
 *
 * Layout (documented for integrators in docs/plan-document.md):
 *
 *   meta         Y.Map   title, periodStart, periodEnd (ISO dates)
 *   workstreams  Y.Map   id → Y.Map { name, position, colour? }
 *   items        Y.Map   id → Y.Map { title: Y.Text, workstreamId, status, leadOrg,
 *                                     start, end, progress, position,
 *                                     description?: Y.XmlFragment (rich text, see rich-text.ts),
 *                                     owners?: Y.Map userId → true, tags?: Y.Map tag → true,
 *                                     checklist?: Y.Map id → Y.Map { text, done, position },
 *                                     indicators?: Y.Map id → Y.Map { name, unit, baseline,
 *                                                                     target, actual, position } }
 *
 * The optional item parts are created with the item; items written before they existed lack them
 * until someone first writes one.
 *
 * Content that arrives from a client is untrusted: the server applies it to a scratch copy and
 * calls `findPlanProblem` on what the transaction touched before it stores anything.
 */
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { uuidv4 } from 'lib0/random';
// zod/mini: the browser loads this module, and the full zod costs some 50 kB of its JavaScript.
// It has no messages of its own; English ones make refusals readable ("Too big: expected …").
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

import { DomainError } from './domain-error';
import { organisationCodes, type OrganisationCode } from './organisations';
import { findRichTextProblem } from './rich-text';

export const itemStatuses = ['planned', 'in_progress', 'done', 'blocked'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/**
 * Limits. The writers keep a title to `itemTitleLength`; the server refuses a document whose
 * stored title exceeds `storedTitleLength`. The two differ because two people typing into one
 * title at the same time can each stay within the writer's limit while the merge does not, and
 * an honest merge must never be refused.
 */
export const planLimits = {
  planTitleLength: 200,
  workstreamNameLength: 120,
  itemTitleLength: 200,
  storedTitleLength: 1000,
  positionLength: 128,
  idLength: 64,
  workstreams: 100,
  items: 5000,
  /** How many entries one update may touch: a guard against one message flooding the plan. */
  entriesPerUpdate: 1000,
  ownersPerItem: 50,
  tagsPerItem: 20,
  tagLength: 40,
  checklistEntries: 100,
  checklistTextLength: 300,
  indicatorsPerItem: 30,
  indicatorNameLength: 200,
  indicatorUnitLength: 40,
  /** Indicator values are finite numbers within ± this bound. */
  indicatorValue: 1e12,
} as const;

/** Workstream colours: names, so that each view maps them to colours that fit its background. */
export const workstreamColours = [
  'blue',
  'green',
  'amber',
  'violet',
  'rose',
  'cyan',
  'lime',
  'slate',
] as const;
export type WorkstreamColour = (typeof workstreamColours)[number];

z.config(en());

const rootNames = ['meta', 'workstreams', 'items'] as const;
type RootName = (typeof rootNames)[number];

/** Text after trimming spaces, within limits. */
function trimmedText(min: number, max: number) {
  return z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
}

const isoDateSchema = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
  z.refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'not a calendar date'),
);

const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(planLimits.idLength),
    z.regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, "-" and "_"'),
  );

const positionSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(planLimits.positionLength),
    z.regex(/^[0-9A-Za-z]+$/, 'a position is a fractional index key'),
  );

/**
 * What stored meta may be. Rules that span two fields (the period's order) are checked by the
 * writers only: concurrent edits of the two fields can break them without anyone being wrong.
 */
export const planMetaSchema = z.strictObject({
  title: trimmedText(1, planLimits.planTitleLength),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
  /** The partner organisations, codes in a set order; plans made before it existed lack it. */
  partners: z.optional(
    z.array(z.enum(organisationCodes)).check(
      z.maxLength(organisationCodes.length),
      z.refine((codes) => new Set(codes).size === codes.length, 'a partner is listed once'),
    ),
  ),
});
export type PlanMeta = z.infer<typeof planMetaSchema>;

export const workstreamSchema = z.strictObject({
  id: idSchema,
  name: trimmedText(1, planLimits.workstreamNameLength),
  position: positionSchema,
  colour: z._default(z.enum(workstreamColours), 'slate'),
});
export type Workstream = z.infer<typeof workstreamSchema>;

const statusSchema = z.enum(itemStatuses);
const progressSchema = z.int().check(z.minimum(0), z.maximum(100));

const itemFieldShapes = {
  title: z.string().check(z.maxLength(planLimits.storedTitleLength)),
  workstreamId: idSchema,
  status: statusSchema,
  leadOrg: z.enum(organisationCodes),
  start: isoDateSchema,
  end: isoDateSchema,
  progress: progressSchema,
  position: positionSchema,
};

/**
 * What a stored item's plain fields may be. Like the meta, an item whose start and end were
 * changed concurrently may end before it starts; the writers refuse to make one, readers show it.
 */
export const itemSchema = z.strictObject({ id: idSchema, ...itemFieldShapes });

const tagSchema = trimmedText(1, planLimits.tagLength).check(
  z.regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a tag is one line of visible text'),
);

const checklistTextSchema = trimmedText(1, planLimits.checklistTextLength);

export const checklistEntrySchema = z.strictObject({
  id: idSchema,
  text: checklistTextSchema,
  done: z.boolean(),
  position: positionSchema,
});
export type ChecklistEntry = z.infer<typeof checklistEntrySchema>;

/** Finite (zod refuses NaN and ±Infinity for numbers) and within bounds. */
const indicatorValueSchema = z
  .number()
  .check(z.minimum(-planLimits.indicatorValue), z.maximum(planLimits.indicatorValue));

const indicatorFields = {
  name: trimmedText(1, planLimits.indicatorNameLength),
  unit: trimmedText(0, planLimits.indicatorUnitLength),
  baseline: indicatorValueSchema,
  target: indicatorValueSchema,
  actual: z.nullable(indicatorValueSchema),
};

/**
 * A results-framework indicator, as the ILO uses them: "trainers certified, by sex: baseline 0,
 * target 20". `actual` is null until someone measures it.
 */
export const indicatorSchema = z.strictObject({
  id: idSchema,
  ...indicatorFields,
  position: positionSchema,
});
export type Indicator = z.infer<typeof indicatorSchema>;
export type IndicatorInput = Omit<Indicator, 'id' | 'position'>;
const indicatorInputSchema = z.strictObject(indicatorFields);

export type Item = z.infer<typeof itemSchema> & {
  /** Member user ids, sorted. */
  owners: string[];
  /** Sorted by code unit, like positions. */
  tags: string[];
  checklist: ChecklistEntry[];
  indicators: Indicator[];
  /** Whether the item has a description part to edit (items from before descriptions lack it). */
  hasDescription: boolean;
};

export const newItemInput = z
  .object({
    title: trimmedText(1, planLimits.itemTitleLength),
    workstreamId: idSchema,
    status: z._default(statusSchema, 'planned'),
    leadOrg: itemFieldShapes.leadOrg,
    start: isoDateSchema,
    end: isoDateSchema,
    progress: z._default(progressSchema, 0),
  })
  .check(z.refine((item) => item.start <= item.end, 'an item cannot end before it starts'));
export type NewItemInput = z.input<typeof newItemInput>;

/** The item fields that hold plain values (the title is a Y.Text). */
const scalarItemFields = [
  'workstreamId',
  'status',
  'leadOrg',
  'start',
  'end',
  'progress',
  'position',
] as const;
const collectionItemFields = ['owners', 'tags', 'checklist', 'indicators'] as const;
type CollectionField = (typeof collectionItemFields)[number];
const itemKeys = new Set<string>([
  'title',
  'description',
  ...scalarItemFields,
  ...collectionItemFields,
]);
const workstreamKeys = new Set<string>(['name', 'position', 'colour']);
const metaKeys = new Set<string>(['title', 'periodStart', 'periodEnd', 'partners']);

export type ItemPatch = Partial<{
  workstreamId: string;
  status: ItemStatus;
  leadOrg: OrganisationCode;
  start: string;
  end: string;
  progress: number;
}>;

export interface PlanView {
  meta: PlanMeta | null;
  workstreams: Workstream[];
  items: Item[];
}

function roots(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>('meta'),
    workstreams: doc.getMap<unknown>('workstreams'),
    items: doc.getMap<unknown>('items'),
  };
}

/**
 * A map's entries as they are stored. Not `toJSON()`: that turns a nested Y.Text or
 * Y.XmlFragment into a string, so a value our writers store as a plain string could be a shared
 * type holding content (embeds, formatting) that no schema check would see.
 */
function storedEntries(map: Y.Map<unknown>): Record<string, unknown> {
  return Object.fromEntries(map.entries());
}

function byPosition(a: { position: string; id: string }, b: { position: string; id: string }) {
  // Two replicas can pick the same key concurrently; the id breaks the tie the same way everywhere.
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Reading

export function readMeta(doc: Y.Doc): PlanMeta | null {
  const parsed = planMetaSchema.safeParse(storedEntries(roots(doc).meta));
  return parsed.success ? parsed.data : null;
}

export function readWorkstream(id: string, value: unknown): Workstream | null {
  if (!(value instanceof Y.Map)) return null;
  const parsed = workstreamSchema.safeParse({ id, ...storedEntries(value) });
  return parsed.success ? parsed.data : null;
}

function nestedMap(entry: Y.Map<unknown>, field: CollectionField): Y.Map<unknown> | null {
  const value = entry.get(field);
  return value instanceof Y.Map ? value : null;
}

/** A set stored as a Y.Map of key → true (so that concurrent additions both stay). */
function readKeySet(map: Y.Map<unknown> | null, accepts: (key: string) => boolean): string[] {
  if (!map) return [];
  const keys: string[] = [];
  map.forEach((value, key) => {
    if (value === true && accepts(key)) keys.push(key);
  });
  return keys.sort();
}

function readPositioned<T extends { id: string; position: string }>(
  map: Y.Map<unknown> | null,
  schema: z.ZodMiniType<T>,
): T[] {
  if (!map) return [];
  const entries: T[] = [];
  map.forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const parsed = schema.safeParse({ id, ...storedEntries(value) });
    if (parsed.success) entries.push(parsed.data);
  });
  return entries.sort(byPosition);
}

const isId = (key: string) => idSchema.safeParse(key).success;
const isTag = (key: string) => tagSchema.safeParse(key).success && key === key.trim();

export function readItem(id: string, value: unknown): Item | null {
  if (!(value instanceof Y.Map)) return null;
  const title = value.get('title');
  if (!(title instanceof Y.Text)) return null;
  const plain: Record<string, unknown> = { id, title: title.toString() };
  for (const key of scalarItemFields) plain[key] = value.get(key);
  const parsed = itemSchema.safeParse(plain);
  if (!parsed.success) return null;
  return {
    ...parsed.data,
    owners: readKeySet(nestedMap(value, 'owners'), isId),
    tags: readKeySet(nestedMap(value, 'tags'), isTag),
    checklist: readPositioned(nestedMap(value, 'checklist'), checklistEntrySchema),
    indicators: readPositioned(nestedMap(value, 'indicators'), indicatorSchema),
    hasDescription: value.get('description') instanceof Y.XmlFragment,
  };
}

/** One item by id, read as `readPlan` reads it; null if absent or unreadable. */
export function findItem(doc: Y.Doc, itemId: string): Item | null {
  const { items } = roots(doc);
  return items.has(itemId) ? readItem(itemId, items.get(itemId)) : null;
}

/** One workstream by id; null if absent or unreadable. */
export function findWorkstream(doc: Y.Doc, workstreamId: string): Workstream | null {
  const { workstreams } = roots(doc);
  return workstreams.has(workstreamId)
    ? readWorkstream(workstreamId, workstreams.get(workstreamId))
    : null;
}

/** The whole plan as plain objects, sorted by position. Entries that break the schema are left out. */
export function readPlan(doc: Y.Doc): PlanView {
  const { workstreams, items } = roots(doc);
  const workstreamList: Workstream[] = [];
  workstreams.forEach((value, id) => {
    const workstream = readWorkstream(id, value);
    if (workstream) workstreamList.push(workstream);
  });
  const itemList: Item[] = [];
  items.forEach((value, id) => {
    const item = readItem(id, value);
    if (item) itemList.push(item);
  });
  return {
    meta: readMeta(doc),
    workstreams: workstreamList.sort(byPosition),
    items: itemList.sort(byPosition),
  };
}

/**
 * A plan's view kept up to date by re-reading only the entries each transaction touched, so that
 * a keystroke in one title of a 2,000-item plan does not re-validate the other 1,999. Unchanged
 * entries keep their object identity, which lets the UI skip re-rendering them.
 */
export class PlanViewCache {
  private readonly doc: Y.Doc;
  private readonly items = new Map<string, Item>();
  private readonly workstreams = new Map<string, Workstream>();
  private view: PlanView;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.view = this.readAll();
  }

  get current(): PlanView {
    return this.view;
  }

  /** Reads everything again: for a cache that may have missed transactions. */
  reset(): void {
    this.view = this.readAll();
  }

  /** Takes in one transaction's changes; returns whether the view changed. */
  apply(transaction: Y.Transaction): boolean {
    if (transaction.changed.size === 0) return false;
    const scope = collectChangeScope(this.doc, transaction);
    if (typeof scope === 'string') {
      this.view = this.readAll();
      return true;
    }
    const { items, workstreams } = roots(this.doc);
    const itemsChanged = refresh(this.items, scope.items, items, readItem);
    const workstreamsChanged = refresh(
      this.workstreams,
      scope.workstreams,
      workstreams,
      readWorkstream,
    );
    if (!scope.meta && !itemsChanged && !workstreamsChanged) return false;
    this.view = {
      meta: scope.meta ? readMeta(this.doc) : this.view.meta,
      workstreams: workstreamsChanged
        ? [...this.workstreams.values()].sort(byPosition)
        : this.view.workstreams,
      items: itemsChanged ? [...this.items.values()].sort(byPosition) : this.view.items,
    };
    return true;
  }

  private readAll(): PlanView {
    const view = readPlan(this.doc);
    this.items.clear();
    this.workstreams.clear();
    for (const item of view.items) this.items.set(item.id, item);
    for (const workstream of view.workstreams) this.workstreams.set(workstream.id, workstream);
    return view;
  }
}

function refresh<T>(
  cache: Map<string, T>,
  ids: Set<string>,
  map: Y.Map<unknown>,
  read: (id: string, value: unknown) => T | null,
): boolean {
  for (const id of ids) {
    const entry = map.has(id) ? read(id, map.get(id)) : null;
    if (entry) cache.set(id, entry);
    else cache.delete(id);
  }
  return ids.size > 0;
}

export function getItemTitleText(doc: Y.Doc, itemId: string): Y.Text | null {
  const entry = roots(doc).items.get(itemId);
  if (!(entry instanceof Y.Map)) return null;
  const title = entry.get('title');
  return title instanceof Y.Text ? title : null;
}

// ---------------------------------------------------------------------------------------------
// Writing: every writer validates its input and changes the document in one transaction.

function invalid(message: string): never {
  throw new DomainError('invalid_document', message);
}

function lastPosition(map: Y.Map<unknown>): string | null {
  let last: string | null = null;
  map.forEach((value) => {
    if (!(value instanceof Y.Map)) return;
    const position = value.get('position');
    if (typeof position === 'string' && positionSchema.safeParse(position).success) {
      if (last === null || position > last) last = position;
    }
  });
  return last;
}

export function newId(): string {
  return uuidv4();
}

export function initialisePlan(doc: Y.Doc, meta: PlanMeta, origin?: unknown): void {
  const parsed = planMetaSchema.safeParse(meta);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid plan meta');
  if (parsed.data.periodStart > parsed.data.periodEnd) invalid('the period ends before it starts');
  doc.transact(() => {
    const root = roots(doc).meta;
    root.set('title', parsed.data.title);
    root.set('periodStart', parsed.data.periodStart);
    root.set('periodEnd', parsed.data.periodEnd);
    if (parsed.data.partners) root.set('partners', parsed.data.partners);
  }, origin);
}

export function createWorkstream(
  doc: Y.Doc,
  input: { name: string; id?: string; colour?: WorkstreamColour },
  origin?: unknown,
): string {
  const id = input.id ?? newId();
  const { workstreams } = roots(doc);
  const position = generateKeyBetween(lastPosition(workstreams), null);
  const parsed = workstreamSchema.safeParse({
    id,
    name: input.name,
    position,
    colour: input.colour ?? workstreamColours[workstreams.size % workstreamColours.length],
  });
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid workstream');
  if (workstreams.size >= planLimits.workstreams) {
    invalid(`a plan has at most ${planLimits.workstreams} workstreams`);
  }
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('name', parsed.data.name);
    entry.set('position', parsed.data.position);
    entry.set('colour', parsed.data.colour);
    workstreams.set(id, entry);
  }, origin);
  return id;
}

function workstreamEntry(doc: Y.Doc, id: string): Y.Map<unknown> {
  const entry = roots(doc).workstreams.get(id);
  if (!(entry instanceof Y.Map)) throw new DomainError('not_found', `no workstream ${id}`);
  return entry;
}

/** Renames or recolours a workstream. */
export function updateWorkstream(
  doc: Y.Doc,
  id: string,
  patch: { name?: string; colour?: WorkstreamColour },
  origin?: unknown,
): void {
  const entry = workstreamEntry(doc, id);
  const current = readWorkstream(id, entry);
  if (!current) invalid(`workstream ${id} is not readable`);
  const parsed = workstreamSchema.safeParse({ ...current, ...patch });
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid workstream');
  doc.transact(() => {
    if (patch.name !== undefined && entry.get('name') !== parsed.data.name) {
      entry.set('name', parsed.data.name);
    }
    if (patch.colour !== undefined && entry.get('colour') !== parsed.data.colour) {
      entry.set('colour', parsed.data.colour);
    }
  }, origin);
}

/**
 * A position between two neighbours, by id, in a list sorted with `byPosition`. When the two
 * share a position (two replicas picked the same key), no key fits between them: the entry then
 * goes right after `after`, before the next distinct position.
 */
function positionBetween(map: Y.Map<unknown>, afterId: string | null, beforeId: string | null) {
  const positionOf = (id: string | null): string | null => {
    if (id === null) return null;
    const entry = map.get(id);
    const position = entry instanceof Y.Map ? entry.get('position') : undefined;
    if (typeof position !== 'string' || !positionSchema.safeParse(position).success) {
      throw new DomainError('not_found', `no entry ${id.slice(0, 80)} to place next to`);
    }
    return position;
  };
  const low = positionOf(afterId);
  let high = positionOf(beforeId);
  if (low !== null && high !== null && low >= high) {
    high = null;
    map.forEach((value) => {
      const position = value instanceof Y.Map ? value.get('position') : undefined;
      if (typeof position !== 'string' || !positionSchema.safeParse(position).success) return;
      if (position > low && (high === null || position < high)) high = position;
    });
  }
  return generateKeyBetween(low, high);
}

/** Moves a workstream between two others (null: to the start or the end). */
export function moveWorkstream(
  doc: Y.Doc,
  id: string,
  place: { after: string | null; before: string | null },
  origin?: unknown,
): void {
  const { workstreams } = roots(doc);
  const entry = workstreamEntry(doc, id);
  const position = positionBetween(workstreams, place.after, place.before);
  doc.transact(() => entry.set('position', position), origin);
}

export function createItem(
  doc: Y.Doc,
  input: NewItemInput & { id?: string },
  origin?: unknown,
): string {
  const parsed = newItemInput.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid item');
  const id = input.id ?? newId();
  if (!idSchema.safeParse(id).success) invalid('invalid item id');
  const { items } = roots(doc);
  const position = generateKeyBetween(lastPosition(items), null);
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('title', new Y.Text(parsed.data.title));
    entry.set('workstreamId', parsed.data.workstreamId);
    entry.set('status', parsed.data.status);
    entry.set('leadOrg', parsed.data.leadOrg);
    entry.set('start', parsed.data.start);
    entry.set('end', parsed.data.end);
    entry.set('progress', parsed.data.progress);
    entry.set('position', position);
    // The shared parts exist from the start: two people who create the same missing part at once
    // would each make their own, and one of them would be lost with everything written into it.
    entry.set('description', new Y.XmlFragment());
    for (const field of collectionItemFields) entry.set(field, new Y.Map<unknown>());
    items.set(id, entry);
  }, origin);
  return id;
}

function itemEntry(doc: Y.Doc, itemId: string): Y.Map<unknown> {
  const entry = roots(doc).items.get(itemId);
  if (!(entry instanceof Y.Map)) throw new DomainError('not_found', `no item ${itemId}`);
  return entry;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Replaces an item's title by the smallest edit (common prefix and suffix kept), so that two
 * people typing in different parts of one title both keep their words.
 */
export function setItemTitle(doc: Y.Doc, itemId: string, title: string, origin?: unknown): void {
  if (title.length > planLimits.itemTitleLength) {
    invalid(`a title has at most ${planLimits.itemTitleLength} characters`);
  }
  const text = getItemTitleText(doc, itemId);
  if (!text) throw new DomainError('not_found', `no item ${itemId}`);
  if (text.toString() === title) return;
  doc.transact(() => replaceTextMinimally(text, title), origin);
}

/**
 * Replaces a Y.Text's content by the smallest edit (common prefix and suffix kept), inside the
 * caller's transaction.
 */
function replaceTextMinimally(text: Y.Text, title: string): void {
  const current = text.toString();
  if (current === title) return;
  let prefix = 0;
  const shorter = Math.min(current.length, title.length);
  while (prefix < shorter && current[prefix] === title[prefix]) prefix++;
  // Never cut between the two halves of a surrogate pair (an emoji, a rare CJK character): Yjs
  // replaces a split pair with U+FFFD on every replica.
  if (prefix > 0 && isHighSurrogate(current.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    current[current.length - 1 - suffix] === title[title.length - 1 - suffix]
  ) {
    suffix++;
  }
  if (suffix > 0 && isLowSurrogate(current.charCodeAt(current.length - suffix))) suffix--;
  const removed = current.length - prefix - suffix;
  if (removed > 0) text.delete(prefix, removed);
  const inserted = title.slice(prefix, title.length - suffix);
  if (inserted) text.insert(prefix, inserted);
}

/** The fields `updateItem` may change; the title has `setItemTitle`. */
const patchableItemFields = new Set<string>([
  'workstreamId',
  'status',
  'leadOrg',
  'start',
  'end',
  'progress',
]);

export function updateItem(doc: Y.Doc, itemId: string, patch: ItemPatch, origin?: unknown): void {
  // TypeScript lets a spread (`{ ...item, status }`) through; writing its `title` string over the
  // Y.Text, or an `id` field, would make a document the server refuses.
  for (const key of Object.keys(patch)) {
    if (!patchableItemFields.has(key)) invalid(`updateItem cannot change "${key.slice(0, 80)}"`);
  }
  const entry = itemEntry(doc, itemId);
  const current = readItem(itemId, entry);
  if (!current) invalid(`item ${itemId} is not readable`);
  const { owners, tags, checklist, indicators, hasDescription, ...plain } = current;
  void [owners, tags, checklist, indicators, hasDescription];
  const next = { ...plain, ...patch };
  const parsed = itemSchema.safeParse(next);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid item');
  if ((patch.start !== undefined || patch.end !== undefined) && next.start > next.end) {
    invalid('an item cannot end before it starts');
  }
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined && entry.get(key) !== value) entry.set(key, value);
    }
  }, origin);
}

export function deleteItem(doc: Y.Doc, itemId: string, origin?: unknown): void {
  doc.transact(() => roots(doc).items.delete(itemId), origin);
}

/**
 * Moves an item to a status column and workstream, between two items of its new list (null: to
 * the start or the end). One transaction: the others see the card leave and arrive at once.
 */
export function moveItem(
  doc: Y.Doc,
  itemId: string,
  place: {
    status?: ItemStatus;
    workstreamId?: string;
    after: string | null;
    before: string | null;
  },
  origin?: unknown,
): void {
  const { items } = roots(doc);
  const entry = itemEntry(doc, itemId);
  if (place.after === itemId || place.before === itemId)
    invalid('an item cannot move next to itself');
  const patch: ItemPatch = {};
  if (place.status !== undefined) patch.status = place.status;
  if (place.workstreamId !== undefined) patch.workstreamId = place.workstreamId;
  const position = positionBetween(items, place.after, place.before);
  doc.transact(() => {
    if (Object.keys(patch).length > 0) updateItem(doc, itemId, patch, origin);
    entry.set('position', position);
  }, origin);
}

/** The item's part for one collection, created on first write for items that predate it. */
function collection(entry: Y.Map<unknown>, field: CollectionField): Y.Map<unknown> {
  const existing = entry.get(field);
  if (existing instanceof Y.Map) return existing;
  const created = new Y.Map<unknown>();
  entry.set(field, created);
  return created;
}

function setMembership(
  doc: Y.Doc,
  itemId: string,
  field: 'owners' | 'tags',
  key: string,
  present: boolean,
  limit: number,
  origin: unknown,
): void {
  const entry = itemEntry(doc, itemId);
  doc.transact(() => {
    const set = collection(entry, field);
    if (!present) {
      set.delete(key);
      return;
    }
    if (set.get(key) === true) return;
    if (set.size >= limit) invalid(`an item has at most ${limit} ${field}`);
    set.set(key, true);
  }, origin);
}

/** Adds or removes an owner (a member's user id). */
export function setItemOwner(
  doc: Y.Doc,
  itemId: string,
  userId: string,
  owner: boolean,
  origin?: unknown,
): void {
  if (!isId(userId)) invalid('invalid user id');
  setMembership(doc, itemId, 'owners', userId, owner, planLimits.ownersPerItem, origin);
}

/** Adds or removes a tag. Tags are trimmed; the same tag twice is one tag. */
export function setItemTag(
  doc: Y.Doc,
  itemId: string,
  tag: string,
  tagged = true,
  origin?: unknown,
): void {
  const parsed = tagSchema.safeParse(tag);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid tag');
  setMembership(doc, itemId, 'tags', parsed.data, tagged, planLimits.tagsPerItem, origin);
}

function addPositioned(
  doc: Y.Doc,
  itemId: string,
  field: 'checklist' | 'indicators',
  limit: number,
  build: (id: string, position: string) => Record<string, unknown>,
  origin: unknown,
): string {
  const entry = itemEntry(doc, itemId);
  const id = newId();
  doc.transact(() => {
    const list = collection(entry, field);
    if (list.size >= limit) invalid(`an item has at most ${limit} ${field} entries`);
    const values = build(id, generateKeyBetween(lastPosition(list), null));
    const stored = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(values)) if (key !== 'id') stored.set(key, value);
    list.set(id, stored);
  }, origin);
  return id;
}

function positionedEntry(
  doc: Y.Doc,
  itemId: string,
  field: 'checklist' | 'indicators',
  id: string,
): Y.Map<unknown> {
  const list = itemEntry(doc, itemId).get(field);
  const stored = list instanceof Y.Map ? list.get(id) : undefined;
  if (!(stored instanceof Y.Map)) throw new DomainError('not_found', `no ${field} entry ${id}`);
  return stored;
}

function patchPositioned<T extends { id: string }>(
  doc: Y.Doc,
  stored: Y.Map<unknown>,
  schema: z.ZodMiniType<T>,
  id: string,
  patch: Record<string, unknown>,
  origin: unknown,
): void {
  const parsed = schema.safeParse({ id, ...storedEntries(stored), ...patch });
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid entry');
  const next = parsed.data as Record<string, unknown>;
  doc.transact(() => {
    for (const key of Object.keys(patch)) {
      if (key === 'id' || key === 'position') invalid(`cannot change "${key}" this way`);
      if (stored.get(key) !== next[key]) stored.set(key, next[key]);
    }
  }, origin);
}

export function addChecklistEntry(
  doc: Y.Doc,
  itemId: string,
  text: string,
  origin?: unknown,
): string {
  const parsed = checklistTextSchema.safeParse(text);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid checklist entry');
  return addPositioned(
    doc,
    itemId,
    'checklist',
    planLimits.checklistEntries,
    (id, position) => ({ id, text: parsed.data, done: false, position }),
    origin,
  );
}

export function updateChecklistEntry(
  doc: Y.Doc,
  itemId: string,
  entryId: string,
  patch: Partial<Pick<ChecklistEntry, 'text' | 'done'>>,
  origin?: unknown,
): void {
  const stored = positionedEntry(doc, itemId, 'checklist', entryId);
  patchPositioned(doc, stored, checklistEntrySchema, entryId, patch, origin);
}

export function deleteChecklistEntry(
  doc: Y.Doc,
  itemId: string,
  entryId: string,
  origin?: unknown,
): void {
  const list = itemEntry(doc, itemId).get('checklist');
  if (list instanceof Y.Map) doc.transact(() => list.delete(entryId), origin);
}

export function addIndicator(
  doc: Y.Doc,
  itemId: string,
  input: IndicatorInput,
  origin?: unknown,
): string {
  const parsed = indicatorInputSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues[0]?.message ?? 'invalid indicator');
  return addPositioned(
    doc,
    itemId,
    'indicators',
    planLimits.indicatorsPerItem,
    (id, position) => ({ id, ...parsed.data, position }),
    origin,
  );
}

export function updateIndicator(
  doc: Y.Doc,
  itemId: string,
  indicatorId: string,
  patch: Partial<IndicatorInput>,
  origin?: unknown,
): void {
  const stored = positionedEntry(doc, itemId, 'indicators', indicatorId);
  patchPositioned(doc, stored, indicatorSchema, indicatorId, patch, origin);
}

export function deleteIndicator(
  doc: Y.Doc,
  itemId: string,
  indicatorId: string,
  origin?: unknown,
): void {
  const list = itemEntry(doc, itemId).get('indicators');
  if (list instanceof Y.Map) doc.transact(() => list.delete(indicatorId), origin);
}

/** How far an indicator has come from its baseline toward its target, 0–1, or null if unknown. */
export function indicatorProgress(indicator: Pick<Indicator, 'baseline' | 'target' | 'actual'>) {
  if (indicator.actual === null || indicator.target === indicator.baseline) return null;
  const share = (indicator.actual - indicator.baseline) / (indicator.target - indicator.baseline);
  return Math.min(1, Math.max(0, share));
}

/**
 * The item's description for the rich-text editor to bind to. An item from before descriptions
 * gets one on first use (by an editor: `create` is false for read-only viewers).
 */
export function getItemDescription(
  doc: Y.Doc,
  itemId: string,
  options: { create: boolean; origin?: unknown } = { create: false },
): Y.XmlFragment | null {
  const entry = roots(doc).items.get(itemId);
  if (!(entry instanceof Y.Map)) return null;
  const existing = entry.get('description');
  if (existing instanceof Y.XmlFragment) return existing;
  if (!options.create) return null;
  const created = new Y.XmlFragment();
  doc.transact(() => entry.set('description', created), options.origin);
  return created;
}

// ---------------------------------------------------------------------------------------------
// Restoring a saved version (server/use-cases/restore-version.ts)

/** Sets a map's key only when it differs, so that equal values cost nothing. */
function setChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (map.get(key) !== value) map.set(key, value);
}

/** Makes a map hold exactly `fields` (plain values); other keys go. */
function syncPlainFields(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
  for (const key of [...map.keys()]) if (!(key in fields)) map.delete(key);
  for (const [key, value] of Object.entries(fields)) setChanged(map, key, value);
}

/** The nested Y.Map under `key`, made (or replaced, if it is something else) when missing. */
function ensureChildMap(parent: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const existing = parent.get(key);
  if (existing instanceof Y.Map) return existing;
  return parent.set(key, new Y.Map<unknown>());
}

function syncKeySet(entry: Y.Map<unknown>, field: CollectionField, keys: string[]): void {
  const map = ensureChildMap(entry, field);
  const wanted = new Set(keys);
  for (const key of [...map.keys()]) if (!wanted.has(key)) map.delete(key);
  for (const key of keys) setChanged(map, key, true);
}

function syncPositioned(
  entry: Y.Map<unknown>,
  field: CollectionField,
  rows: Array<{ id: string } & Record<string, unknown>>,
): void {
  const map = ensureChildMap(entry, field);
  const wanted = new Set(rows.map((row) => row.id));
  for (const key of [...map.keys()]) if (!wanted.has(key)) map.delete(key);
  for (const { id, ...fields } of rows) syncPlainFields(ensureChildMap(map, id), fields);
}

/**
 * Rewrites `doc` so that it holds what `version` (a saved version of the same plan) holds: the
 * meta, the workstreams and the items with their titles, rich-text descriptions, owners, tags,
 * checklists and indicators. One transaction of ordinary changes, so every replica that applies
 * it converges, and entries already equal are left untouched (their ids, shared types and
 * anyone's open editor survive). Only what `readPlan` reads from the version is restored: an
 * unreadable entry there is not brought back.
 */
export function restorePlanVersion(doc: Y.Doc, version: Y.Doc, origin?: unknown): void {
  const target = readPlan(version);
  const current = roots(doc);
  const source = roots(version);
  doc.transact(() => {
    if (target.meta) {
      syncPlainFields(current.meta, { ...target.meta });
    } else {
      for (const key of [...current.meta.keys()]) current.meta.delete(key);
    }

    const workstreams = new Map(
      target.workstreams.map((workstream) => [workstream.id, workstream]),
    );
    for (const id of [...current.workstreams.keys()]) {
      if (!workstreams.has(id)) current.workstreams.delete(id);
    }
    for (const { id, ...fields } of target.workstreams) {
      syncPlainFields(ensureChildMap(current.workstreams, id), fields);
    }

    const items = new Set(target.items.map((item) => item.id));
    for (const id of [...current.items.keys()]) if (!items.has(id)) current.items.delete(id);
    for (const item of target.items) {
      const found = current.items.get(item.id);
      let stored: Y.Map<unknown>;
      if (found instanceof Y.Map && found.get('title') instanceof Y.Text) {
        stored = found as Y.Map<unknown>;
      } else {
        stored = current.items.set(item.id, new Y.Map<unknown>()) as Y.Map<unknown>;
        stored.set('title', new Y.Text());
      }
      replaceTextMinimally(stored.get('title') as Y.Text, item.title);
      for (const key of scalarItemFields) setChanged(stored, key, item[key]);
      const sourceEntry = source.items.get(item.id) as Y.Map<unknown>;
      const description = sourceEntry.get('description');
      const existing = stored.get('description');
      if (!(description instanceof Y.XmlFragment)) {
        if (existing !== undefined) stored.delete('description');
      } else if (
        !(existing instanceof Y.XmlFragment) ||
        existing.toString() !== description.toString()
      ) {
        stored.set('description', description.clone());
      }
      syncKeySet(stored, 'owners', item.owners);
      syncKeySet(stored, 'tags', item.tags);
      syncPositioned(stored, 'checklist', item.checklist);
      syncPositioned(stored, 'indicators', item.indicators);
    }
  }, origin);
}

// ---------------------------------------------------------------------------------------------
// Validation of untrusted changes (server side)

/** What one transaction touched, named by root and top-level key. */
export interface PlanChangeScope {
  meta: boolean;
  workstreams: Set<string>;
  items: Set<string>;
}

/** The part of a Yjs shared type this module inspects (Yjs's own generics are invariant). */
interface SharedTypeNode {
  _start: Y.Item | null;
  _item: Y.Item | null;
}

function hasSequenceContent(type: SharedTypeNode): boolean {
  // A Y.Map keeps keyed entries in `_map`; list content (`_start`) in a map is something our
  // writers never produce, so a client that sends it is not one of ours.
  for (let node = type._start; node !== null; node = node.right) {
    if (!node.deleted) return true;
  }
  return false;
}

function rootNameOf(doc: Y.Doc, type: SharedTypeNode): string | null {
  for (const [name, root] of doc.share) if (root === type) return name;
  return null;
}

/**
 * Names the top-level entries a transaction changed. Returns a problem string if the change
 * touched something outside the three roots.
 */
export function collectChangeScope(
  doc: Y.Doc,
  transaction: Y.Transaction,
): PlanChangeScope | string {
  const scope: PlanChangeScope = { meta: false, workstreams: new Set(), items: new Set() };
  for (const [type, keys] of transaction.changed) {
    let child: SharedTypeNode = type;
    let key: string | null = null;
    // Walk up until `child` is a root, remembering the key under which we entered it.
    while (child._item !== null) {
      const parent = child._item.parent;
      if (!(parent instanceof Y.AbstractType)) return 'an entry has no parent';
      key = child._item.parentSub;
      child = parent;
    }
    const rootName = rootNameOf(doc, child);
    if (rootName === null || !(rootNames as readonly string[]).includes(rootName)) {
      return `unknown root "${String(rootName)}"`;
    }
    const root = rootName as RootName;
    if (root === 'meta') {
      scope.meta = true;
      continue;
    }
    const touched = root === 'items' ? scope.items : scope.workstreams;
    if (key !== null) {
      touched.add(key);
    } else {
      // The change was directly on the root map: its keys are the entries.
      for (const changedKey of keys) {
        if (changedKey === null) return `list content in the ${root} map`;
        touched.add(changedKey);
      }
    }
  }
  return scope;
}

function findItemProblem(id: string, value: unknown): string | null {
  if (!idSchema.safeParse(id).success) return `item id "${id.slice(0, 80)}" is not allowed`;
  if (!(value instanceof Y.Map)) return `item ${id} is not a map`;
  if (hasSequenceContent(value)) return `item ${id} holds list content`;
  for (const key of value.keys()) {
    if (!itemKeys.has(key)) return `item ${id} has an unknown field "${key.slice(0, 80)}"`;
  }
  const title = value.get('title');
  if (!(title instanceof Y.Text)) return `item ${id} has no text title`;
  if (title.length > planLimits.storedTitleLength) {
    return `item ${id}: a title has at most ${planLimits.storedTitleLength} characters`;
  }
  for (const op of title.toDelta() as Array<{ insert?: unknown; attributes?: unknown }>) {
    if (typeof op.insert !== 'string' || op.attributes !== undefined) {
      return `item ${id}: a title is plain text`;
    }
  }
  if (readItem(id, value) === null) {
    const plain: Record<string, unknown> = { id, title: title.toString() };
    for (const key of scalarItemFields) plain[key] = value.get(key);
    const issue = itemSchema.safeParse(plain).error?.issues[0];
    return `item ${id}: ${issue ? `${issue.path.join('.') || 'item'} ${issue.message}` : 'invalid'}`;
  }
  if (value.has('description')) {
    const description = value.get('description');
    if (!(description instanceof Y.XmlFragment) || description instanceof Y.XmlElement) {
      return `item ${id}: the description is not rich text`;
    }
    const problem = findRichTextProblem(description);
    if (problem) return `item ${id}: description: ${problem}`;
  }
  for (const field of collectionItemFields) {
    if (!value.has(field)) continue;
    const problem = findCollectionProblem(field, value.get(field));
    if (problem) return `item ${id}: ${problem}`;
  }
  return null;
}

const collectionRules: Record<
  CollectionField,
  { limit: number; entry: (key: string, stored: unknown) => boolean }
> = {
  owners: { limit: planLimits.ownersPerItem, entry: (key, stored) => stored === true && isId(key) },
  tags: { limit: planLimits.tagsPerItem, entry: (key, stored) => stored === true && isTag(key) },
  checklist: {
    limit: planLimits.checklistEntries,
    entry: (key, stored) => positionedEntryIsValid(key, stored, checklistEntrySchema),
  },
  indicators: {
    limit: planLimits.indicatorsPerItem,
    entry: (key, stored) => positionedEntryIsValid(key, stored, indicatorSchema),
  },
};

function positionedEntryIsValid(id: string, stored: unknown, schema: z.ZodMiniType): boolean {
  if (!(stored instanceof Y.Map) || hasSequenceContent(stored)) return false;
  for (const value of stored.values()) if (value instanceof Y.AbstractType) return false;
  return schema.safeParse({ id, ...storedEntries(stored) }).success;
}

function findCollectionProblem(field: CollectionField, value: unknown): string | null {
  if (!(value instanceof Y.Map)) return `${field} is not a map`;
  if (hasSequenceContent(value)) return `${field} holds list content`;
  const rule = collectionRules[field];
  if (value.size > rule.limit) return `at most ${rule.limit} ${field}`;
  for (const [key, stored] of value.entries()) {
    if (!rule.entry(key, stored)) return `${field} has an invalid entry "${key.slice(0, 80)}"`;
  }
  return null;
}

function findWorkstreamProblem(id: string, value: unknown): string | null {
  if (!idSchema.safeParse(id).success) return `workstream id "${id.slice(0, 80)}" is not allowed`;
  if (!(value instanceof Y.Map)) return `workstream ${id} is not a map`;
  if (hasSequenceContent(value)) return `workstream ${id} holds list content`;
  for (const key of value.keys()) {
    if (!workstreamKeys.has(key))
      return `workstream ${id} has an unknown field "${key.slice(0, 80)}"`;
  }
  return readWorkstream(id, value) === null ? `workstream ${id} breaks the schema` : null;
}

function findMetaProblem(meta: Y.Map<unknown>, touched: boolean): string | null {
  if (hasSequenceContent(meta)) return 'meta holds list content';
  for (const key of meta.keys()) {
    if (!metaKeys.has(key)) return `meta has an unknown field "${key.slice(0, 80)}"`;
  }
  // An empty meta is the state of a fresh document before the seed writes it; a change that
  // touches the meta must leave it whole.
  if (meta.size === 0 && !touched) return null;
  return planMetaSchema.safeParse(storedEntries(meta)).success ? null : 'meta breaks the schema';
}

/**
 * Checks the parts of the document a change touched (or everything, without a scope). Returns a
 * human-readable problem, or null when the document satisfies the schema.
 */
export function findPlanProblem(doc: Y.Doc, scope?: PlanChangeScope): string | null {
  for (const name of doc.share.keys()) {
    if (!(rootNames as readonly string[]).includes(name)) {
      return `unknown root "${name.slice(0, 80)}"`;
    }
  }
  const { meta, workstreams, items } = roots(doc);
  if (hasSequenceContent(workstreams)) return 'list content in the workstreams map';
  if (hasSequenceContent(items)) return 'list content in the items map';
  if (workstreams.size > planLimits.workstreams) {
    return `a plan has at most ${planLimits.workstreams} workstreams`;
  }
  if (items.size > planLimits.items) return `a plan has at most ${planLimits.items} items`;
  if (scope && scope.items.size + scope.workstreams.size > planLimits.entriesPerUpdate) {
    return `one change may touch at most ${planLimits.entriesPerUpdate} entries`;
  }

  if (!scope || scope.meta) {
    const problem = findMetaProblem(meta, scope?.meta ?? false);
    if (problem) return problem;
  }
  const workstreamIds = scope ? scope.workstreams : new Set(workstreams.keys());
  for (const id of workstreamIds) {
    if (!workstreams.has(id)) continue; // deleted
    const problem = findWorkstreamProblem(id, workstreams.get(id));
    if (problem) return problem;
  }
  const itemIds = scope ? scope.items : new Set(items.keys());
  for (const id of itemIds) {
    if (!items.has(id)) continue; // deleted
    const problem = findItemProblem(id, items.get(id));
    if (problem) return problem;
  }
  return null;
}

/**
 * Undo and redo of this replica's own changes to the plan. Only transactions with the tracked
 * origins count (by default: the writers called without an origin, i.e. this person's edits);
 * what arrives from others, from IndexedDB or from the rich-text editor (which keeps its own
 * history for the description) is never undone here.
 */
export function createPlanUndoManager(
  doc: Y.Doc,
  trackedOrigins: Set<unknown> = new Set([null]),
): Y.UndoManager {
  const { meta, workstreams, items } = roots(doc);
  return new Y.UndoManager([meta, workstreams, items], { trackedOrigins, captureTimeout: 600 });
}

/** Touches the three roots so that a fresh document knows their types before any update. */
export function preparePlanDocument(doc: Y.Doc): Y.Doc {
  roots(doc);
  return doc;
}
